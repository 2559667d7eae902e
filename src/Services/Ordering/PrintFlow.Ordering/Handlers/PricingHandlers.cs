using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Handlers;

public sealed class PriceCalculatedHandler(OrderingDbContext db, TimeProvider clock, ILogger<PriceCalculatedHandler> logger)
    : IIntegrationEventHandler<PriceCalculated>
{
    public async Task HandleAsync(PriceCalculated message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderAsync(message.OrderId, cancellationToken);
        if (order.Status != OrderStatus.PriceCalculating)
        {
            // A re-driven price request can answer twice; only the first quote counts.
            logger.LogInformation("Quote {QuoteId} for order {OrderNumber} arrived while it is {Status}; not applied",
                message.Quote.QuoteId, order.Number, order.Status);
            return;
        }

        var now = clock.GetUtcNow();
        db.Publish(order.RecordQuote(message.Quote, now), clock);
        if (order.ShouldAutoConfirm)
        {
            var (confirmed, manufacturing) = order.Confirm(message.Quote.QuoteId, now);
            db.Publish(confirmed, clock);
            db.Publish(manufacturing, clock);
        }
    }
}

public sealed class PricingFailedHandler(OrderingDbContext db, TimeProvider clock, ILogger<PricingFailedHandler> logger)
    : IIntegrationEventHandler<PricingFailed>
{
    public async Task HandleAsync(PricingFailed message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderAsync(message.OrderId, cancellationToken);
        if (order.Status != OrderStatus.PriceCalculating)
        {
            logger.LogInformation("Pricing failure for order {OrderNumber} arrived while it is {Status}; not applied", order.Number, order.Status);
            return;
        }

        db.Publish(order.Reject(message.Reason, clock.GetUtcNow()), clock);
    }
}
