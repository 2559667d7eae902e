using System.Globalization;
using PrintFlow.Contracts;

namespace PrintFlow.Mes.Pages;

/// <summary>How the floor pages write things.</summary>
public static class Display
{
    public static IReadOnlyList<string> Materials => Domain.Materials.All;

    public static string Channel(SalesChannel channel) => channel == SalesChannel.Shop ? "B2C" : "B2B";

    public static string Stage(OrderStatus stage) => stage switch
    {
        OrderStatus.ManufacturingApproved => "Approved",
        OrderStatus.PostProcessing => "Post-processing",
        OrderStatus.QualityCheck => "Quality check",
        _ => stage.ToString(),
    };

    public static string Date(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span) => span.TotalMinutes < 1
        ? $"{span.TotalSeconds:0} s"
        : span.TotalHours < 1 ? $"{span.TotalMinutes:0} min" : $"{span.TotalHours:0.0} h";

    public static string Money(decimal amount, string currency) =>
        $"{amount.ToString("0.00", CultureInfo.InvariantCulture)} {currency}";
}
