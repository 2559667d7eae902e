using System.Globalization;

namespace PrintFlow.Shop.Pages;

public static class Times
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
