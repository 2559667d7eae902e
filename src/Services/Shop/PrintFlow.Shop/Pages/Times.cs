using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Shop.Pages;

public static class Times
{
    public static string Utc(DateTimeOffset at) => Formats.Utc(at);
}
