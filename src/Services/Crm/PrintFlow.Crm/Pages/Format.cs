using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Crm.Pages;

internal static class Format
{
    public static string Money(decimal amount, string? currency) => Formats.Money(amount, currency);

    public static string Utc(DateTimeOffset? at) => Formats.Utc(at);
}
