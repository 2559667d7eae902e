using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Handlers;

/// <summary>Shows the customer why Ordering refused their confirmation or cancellation.</summary>
internal sealed class OrderCommandRejectedHandler(ShopDbContext db, LiveFeed feed) : IIntegrationEventHandler<OrderCommandRejected>
{
    public async Task HandleAsync(OrderCommandRejected message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderRowAsync<ShopOrder>(message.OrderId, cancellationToken);
        if (order is null)
        {
            return; // not a shop order
        }

        order.Reject(message);
        db.AfterCommit(() => feed.Notify(ShopTopics.Order(message.OrderId)));
    }
}
