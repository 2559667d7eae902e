using System.Globalization;
using PrintFlow.Contracts;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>A quote line in the reader's language: worded again from its kind, names and numbers, else Pricing's English.</summary>
public static class QuoteLineText
{
    /// <param name="language">The reader's culture (an email's); the request's when null.</param>
    public static string Of(QuoteLine line, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(line);
        var culture = language ?? CultureInfo.CurrentUICulture;
        var key = $"QuoteLine.{line.Kind}";
        if (line.Kind is null || line.Names is null || line.Numbers is null || Texts.Find<SharedStrings>(culture, key) is null)
        {
            return line.Description;
        }

        // The quality, the delivery speed and the colour are the price list's words, which the resources know in every language.
        var wordAt = line.Kind switch { "printer-time-quality" => 2, "lead-time" => 1, _ => -1 };
        var colourAt = line.Kind == "colour" ? 1 : -1;
        var names = line.Names.Select((name, i) => i == wordAt ? Word(culture, name) : i == colourAt ? ColourNames.Of(name, culture) : name);
        return Texts.In<SharedStrings>(culture, key, [.. names.Cast<object?>(), .. line.Numbers.Cast<object?>()]);
    }

    private static string Word(CultureInfo culture, string name) => Texts.Find<SharedStrings>(culture, $"QuoteLine.Word.{name}") ?? name;
}
