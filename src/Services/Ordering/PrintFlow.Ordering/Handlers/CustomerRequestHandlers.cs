using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Handlers;

/// <summary>The customer accepts the quote: confirm and hand the order to the factory, or say why not.</summary>
public sealed class OrderConfirmationRequestedHandler(OrderingDbContext db, TimeProvider clock)
    : IIntegrationEventHandler<OrderConfirmationRequested>
{
    public async Task HandleAsync(OrderConfirmationRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderAsync(message.OrderId, cancellationToken);
        if (order.IsConfirmedWith(message.QuoteId))
        {
            return;
        }

        var now = clock.GetUtcNow();
        try
        {
            var (confirmed, manufacturing) = order.Confirm(message.QuoteId, now);
            db.Publish(confirmed, clock);
            db.Publish(manufacturing, clock);
        }
        catch (OrderRuleException refused)
        {
            db.Publish(new OrderCommandRejected(order.Id, "confirm", refused.Code, refused.Message, now), clock);
        }
    }
}

public sealed class OrderCancellationRequestedHandler(OrderingDbContext db, TimeProvider clock)
    : IIntegrationEventHandler<OrderCancellationRequested>
{
    public async Task HandleAsync(OrderCancellationRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderAsync(message.OrderId, cancellationToken);
        if (order.Status == OrderStatus.Cancelled)
        {
            return;
        }

        var now = clock.GetUtcNow();
        try
        {
            var reason = string.IsNullOrWhiteSpace(message.Reason) ? $"Cancelled by {message.By}." : message.Reason;
            var (cancelled, withdraw) = order.Cancel(reason, now);
            db.Publish(cancelled, clock);
            if (withdraw)
            {
                db.Publish(new ManufacturingCancelled(order.Id, reason, now), clock);
            }
        }
        catch (OrderRuleException refused)
        {
            db.Publish(new OrderCommandRejected(order.Id, "cancel", refused.Code, refused.Message, now), clock);
        }
    }
}
