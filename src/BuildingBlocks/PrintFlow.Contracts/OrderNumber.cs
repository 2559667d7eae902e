namespace PrintFlow.Contracts;

/// <summary>The short, human-readable order number shown to people, derived from the order id.</summary>
public static class OrderNumber
{
    public static string From(Guid orderId)
    {
        // Version-7 ids start with a timestamp; the tail is random, so it makes the more distinctive number.
        var hex = orderId.ToString("N").ToUpperInvariant();
        return $"PF-{hex[^10..]}";
    }
}
