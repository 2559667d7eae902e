namespace PrintFlow.Shop.Handlers;

/// <summary>Live-feed topics of the shop's pages.</summary>
public static class ShopTopics
{
    public static string Order(Guid orderId) => $"shop:order:{orderId}";

    /// <summary>A cart's prices.</summary>
    public static string Cart(Guid cartId) => $"shop:cart:{cartId}";

    /// <summary>A customer's order list.</summary>
    public static string Customer(Guid customerId) => $"shop:customer:{customerId}";
}
