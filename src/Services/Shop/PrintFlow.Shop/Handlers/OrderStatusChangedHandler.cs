using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Handlers;

/// <summary>Keeps the customer's view of a shop order in step with Ordering; older versions do not move it back.</summary>
internal sealed class OrderStatusChangedHandler(ShopDbContext db, LiveFeed feed, ILogger<OrderStatusChangedHandler> logger)
    : IIntegrationEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.Customer.Channel != SalesChannel.Shop)
        {
            return;
        }

        var order = await db.FindOrderRowAsync<ShopOrder>(message.OrderId, cancellationToken);
        if (order is null)
        {
            if (!Guid.TryParse(message.Customer.CustomerId, out var customerId))
            {
                logger.LogWarning("Status {Status} of order {OrderId} names no shop customer; ignored", message.Status, message.OrderId);
                return;
            }

            order = ShopOrder.FromStatus(message, customerId);
            db.Orders.Add(order);
        }
        else if (!order.Apply(message))
        {
            return;
        }

        var customer = order.CustomerId;
        db.AfterCommit(() =>
        {
            feed.Notify(ShopTopics.Order(message.OrderId));
            feed.Notify(ShopTopics.Customer(customer));
        });
    }
}
