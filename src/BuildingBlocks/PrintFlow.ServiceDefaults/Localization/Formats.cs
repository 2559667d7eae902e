using System.Globalization;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>Money, numbers and times as the reader's culture writes them; every page formats through here.</summary>
public static class Formats
{
    /// <summary>
    /// An amount in the currency the price list set (its ISO 4217 code, as quotes carry it), with the culture's
    /// separators: "1 234,50 EUR" in Russian, "1,234.50 EUR" in English. The code, not a symbol: it is unambiguous
    /// whatever currency Pricing is configured with.
    /// </summary>
    public static string Money(decimal amount, string? currency) =>
        $"{amount.ToString("N2", CultureInfo.CurrentCulture)} {currency?.ToUpperInvariant()}".TrimEnd();

    public static string Number(double value, string format = "0.##") => value.ToString(format, CultureInfo.CurrentCulture);

    /// <summary>A moment in UTC: the culture's short date and a 24-hour time ("06.12.2026 15:04 UTC", "12/6/2026 15:04 UTC").</summary>
    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString(CultureInfo.CurrentCulture.DateTimeFormat.ShortDatePattern + " HH:mm", CultureInfo.CurrentCulture) + " UTC";

    public static string Utc(DateTimeOffset? at) => at is { } value ? Utc(value) : "";

    /// <summary>A date in the culture's short form.</summary>
    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d", CultureInfo.CurrentCulture);
}
