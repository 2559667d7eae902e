using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Handlers;

/// <summary>A channel submitted an order: record it and ask Pricing for a price.</summary>
public sealed class OrderSubmittedHandler(OrderingDbContext db, TimeProvider clock, ILogger<OrderSubmittedHandler> logger)
    : IIntegrationEventHandler<OrderSubmitted>
{
    public async Task HandleAsync(OrderSubmitted message, MessageContext context, CancellationToken cancellationToken)
    {
        if (await db.FindOrderOrNullAsync(message.OrderId, cancellationToken) is { } existing)
        {
            // The channel re-sent an order it had not heard back about: the order exists, its status events tell the rest.
            logger.LogInformation("Order {OrderNumber} was submitted again; it is {Status}", existing.Number, existing.Status);
            foreach (var pending in existing.Redrive(clock.GetUtcNow()))
            {
                db.Publish(pending, clock);
            }

            return;
        }

        var now = clock.GetUtcNow();
        var (order, submitted) = Order.Submit(message, now);
        db.Orders.Add(order);
        db.Publish(submitted, clock);
        var (pricing, request) = order.StartPricing(now);
        db.Publish(pricing, clock);
        db.Publish(request, clock);
    }
}

