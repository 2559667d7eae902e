namespace PrintFlow.Shop.Handlers;

/// <summary>Live-feed topics of the shop's pages.</summary>
public static class ShopTopics
{
    public static string Order(Guid orderId) => $"shop:order:{orderId}";
}
