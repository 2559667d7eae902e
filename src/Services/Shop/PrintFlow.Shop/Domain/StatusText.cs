using PrintFlow.Contracts;

namespace PrintFlow.Shop.Domain;

/// <summary>Status names as a customer reads them in a sentence.</summary>
public static class StatusText
{
    public static string Of(OrderStatus status) => status switch
    {
        OrderStatus.PriceCalculating => "being priced",
        OrderStatus.ManufacturingApproved => "approved for manufacturing",
        OrderStatus.PostProcessing => "in post-processing",
        OrderStatus.QualityCheck => "in quality check",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static string Money(decimal amount, string currency) =>
        $"{amount.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture)} {currency}";
}
