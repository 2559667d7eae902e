using System.Text.RegularExpressions;
using PrintFlow.Contracts;

namespace PrintFlow.ServiceDefaults.Shipping;

/// <summary>One thing wrong with a shipping address: the field, a stable code and the sentence in English and Russian.</summary>
public sealed record AddressProblem(string Field, string Code, string English, string Russian)
{
    /// <summary>In the reader's language (Russian or English).</summary>
    public string Sentence => Localization.PrintFlowLocalization.Language == "ru" ? Russian : English;
}

/// <summary>The raw fields of an address as a form or a request sent them; nothing checked yet.</summary>
public sealed record AddressInput(
    string? Recipient, string? Line1, string? Line2, string? City, string? Region, string? PostalCode, string? Country, string? Phone);

/// <summary>
/// The one set of rules a shipping address must pass, whichever channel takes it (Shop checkout, Partner API, a
/// partner's default address): required fields, lengths, a known ISO country, the postal code's shape for the
/// common countries, a phone of digits, and no control or text-direction characters anywhere.
/// </summary>
public static partial class ShippingAddressRules
{
    public const int MaxRecipient = 100;
    public const int MaxLine = 200;
    public const int MaxCity = 100;
    public const int MaxRegion = 100;
    public const int MaxPostalCode = 12;
    public const int MaxPhone = 32;

    /// <summary>The form and JSON names of the fields, as the problems name them.</summary>
    public static class Fields
    {
        public const string Recipient = "recipient";
        public const string Line1 = "line1";
        public const string Line2 = "line2";
        public const string City = "city";
        public const string Region = "region";
        public const string PostalCode = "postalCode";
        public const string Country = "country";
        public const string Phone = "phone";
    }

    /// <summary>Checks and normalises (trimmed, country and postal code upper case, empty optional fields null).</summary>
    public static (ShippingAddress? Address, IReadOnlyList<AddressProblem> Problems) Validate(AddressInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new List<AddressProblem>();
        var recipient = Text(input.Recipient, Fields.Recipient, "Recipient", "Получатель", MaxRecipient, required: true, problems);
        var line1 = Text(input.Line1, Fields.Line1, "Address", "Адрес", MaxLine, required: true, problems);
        var line2 = Text(input.Line2, Fields.Line2, "Address line 2", "Адрес (строка 2)", MaxLine, required: false, problems);
        var city = Text(input.City, Fields.City, "City", "Город", MaxCity, required: true, problems);
        var region = Text(input.Region, Fields.Region, "Region", "Регион", MaxRegion, required: false, problems);
        var postal = Text(input.PostalCode, Fields.PostalCode, "Postal code", "Почтовый индекс", MaxPostalCode, required: true, problems)?.ToUpperInvariant();
        var country = Text(input.Country, Fields.Country, "Country", "Страна", 2, required: true, problems, tooLongIsUnknownCountry: true)?.ToUpperInvariant();
        var phone = Text(input.Phone, Fields.Phone, "Phone", "Телефон", MaxPhone, required: false, problems);

        if (country is not null && !IsKnownCountry(country))
        {
            problems.Add(new AddressProblem(Fields.Country, "address.country.unknown",
                "Country: choose a country by its two-letter ISO code, for example RU or DE.",
                "Страна: укажите страну двухбуквенным кодом ISO, например RU или DE."));
            country = null;
        }

        if (postal is not null && country is not null && !PostalCodeFits(country, postal, out var example))
        {
            problems.Add(new AddressProblem(Fields.PostalCode, "address.postal-code.invalid",
                $"Postal code: this is not a postal code of {country} (for example {example}).",
                $"Почтовый индекс: это не индекс страны {country} (пример: {example})."));
        }

        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            problems.Add(new AddressProblem(Fields.Phone, "address.phone.invalid",
                "Phone: use digits, spaces, brackets and dashes, with an optional + in front (at least 5 digits).",
                "Телефон: цифры, пробелы, скобки и дефисы, в начале можно +, не меньше 5 цифр."));
        }

        return problems.Count > 0
            ? (null, problems)
            : (new ShippingAddress(recipient!, line1!, line2, city!, region, postal!, country!, phone), problems);
    }

    /// <summary>An address that came from storage or a message, checked again as it would be at the door.</summary>
    public static IReadOnlyList<AddressProblem> Check(ShippingAddress address) =>
        Validate(new AddressInput(address.Recipient, address.Line1, address.Line2, address.City, address.Region,
            address.PostalCode, address.Country, address.Phone)).Problems;

    public static bool IsKnownCountry(string code) => code.Length == 2 && Countries.Contains(code);

    /// <summary>One line per part, for a label or a page.</summary>
    public static IReadOnlyList<string> Lines(ShippingAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var lines = new List<string> { address.Recipient, address.Line1 };
        if (address.Line2 is { } line2)
        {
            lines.Add(line2);
        }

        lines.Add(address.Region is { } region ? $"{address.PostalCode} {address.City}, {region}" : $"{address.PostalCode} {address.City}");
        lines.Add(address.Country);
        if (address.Phone is { } phone)
        {
            lines.Add(phone);
        }

        return lines;
    }

    private static string? Text(
        string? raw, string field, string english, string russian, int max, bool required, List<AddressProblem> problems,
        bool tooLongIsUnknownCountry = false)
    {
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                problems.Add(new AddressProblem(field, $"address.{Code(field)}.required", $"{english}: this field is required.", $"{russian}: заполните это поле."));
            }

            return null;
        }

        if (value.Any(IsForbidden))
        {
            problems.Add(new AddressProblem(field, $"address.{Code(field)}.control-characters",
                $"{english}: remove line breaks, tabs and other invisible control characters.",
                $"{russian}: уберите переводы строк, табуляцию и другие невидимые управляющие символы."));
            return null;
        }

        if (value.Length > max)
        {
            if (tooLongIsUnknownCountry)
            {
                problems.Add(new AddressProblem(field, "address.country.unknown",
                    "Country: choose a country by its two-letter ISO code, for example RU or DE.",
                    "Страна: укажите страну двухбуквенным кодом ISO, например RU или DE."));
            }
            else
            {
                problems.Add(new AddressProblem(field, $"address.{Code(field)}.too-long",
                    $"{english}: at most {max} characters.", $"{russian}: не больше {max} символов."));
            }

            return null;
        }

        return value;
    }

    private static string Code(string field) => field == Fields.PostalCode ? "postal-code" : field;

    /// <summary>Control characters (line breaks, NUL, escape) and the bidirectional overrides that can disguise text.</summary>
    private static bool IsForbidden(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F';

    private static bool PostalCodeFits(string country, string postal, out string example)
    {
        if (PostalPatterns.TryGetValue(country, out var rule))
        {
            example = rule.Example;
            return rule.Pattern.IsMatch(postal);
        }

        example = "12345";
        return GenericPostalPattern().IsMatch(postal);
    }

    private sealed record PostalRule(Regex Pattern, string Example);

    private static readonly Dictionary<string, PostalRule> PostalPatterns = new(StringComparer.Ordinal)
    {
        ["RU"] = new(SixDigits(), "101000"),
        ["BY"] = new(SixDigits(), "220030"),
        ["CN"] = new(SixDigits(), "100000"),
        ["DE"] = new(FiveDigits(), "10115"),
        ["FR"] = new(FiveDigits(), "75001"),
        ["IT"] = new(FiveDigits(), "00118"),
        ["ES"] = new(FiveDigits(), "28001"),
        ["UA"] = new(FiveDigits(), "01001"),
        ["US"] = new(UsZip(), "94105 or 94105-1234"),
        ["GB"] = new(UkPostcode(), "SW1A 1AA"),
        ["NL"] = new(DutchPostcode(), "1012 AB"),
        ["PL"] = new(PolishPostcode(), "00-950"),
        ["CA"] = new(CanadianPostcode(), "K1A 0B1"),
    };

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"^\d{5}$")]
    private static partial Regex FiveDigits();

    [GeneratedRegex(@"^\d{5}(-\d{4})?$")]
    private static partial Regex UsZip();

    [GeneratedRegex(@"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")]
    private static partial Regex UkPostcode();

    [GeneratedRegex(@"^\d{4} ?[A-Z]{2}$")]
    private static partial Regex DutchPostcode();

    [GeneratedRegex(@"^\d{2}-\d{3}$")]
    private static partial Regex PolishPostcode();

    [GeneratedRegex(@"^[A-Z]\d[A-Z] ?\d[A-Z]\d$")]
    private static partial Regex CanadianPostcode();

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9 -]{1,10}[A-Z0-9]$")]
    private static partial Regex GenericPostalPattern();

    [GeneratedRegex(@"^\+?(?=(?:\D*\d){5})[\d ()-]{5,31}$")]
    private static partial Regex PhonePattern();

    /// <summary>ISO 3166-1 alpha-2 (officially assigned codes).</summary>
    private static readonly HashSet<string> Countries = new(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
         "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
         "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
         "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
         "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
         "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
         "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW").Split(' '),
        StringComparer.Ordinal);
}
