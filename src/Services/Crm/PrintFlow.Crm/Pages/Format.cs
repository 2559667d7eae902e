using System.Globalization;

namespace PrintFlow.Crm.Pages;

internal static class Format
{
    public static string Money(decimal amount, string? currency) =>
        $"{amount.ToString("#,##0.00", CultureInfo.InvariantCulture)} {currency ?? ""}".TrimEnd();

    public static string Utc(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "";
}
