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
        foreach (var confirmation in order.AutoConfirm(now))
        {
            db.Publish(confirmation, clock);
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

        db.Publish(order.Reject(message.Reason, clock.GetUtcNow(), message.Parts), clock);
    }
}

/// <summary>Exact mode replaced an estimate: apply it only while the order still waits for confirmation of that estimate.</summary>
public sealed class QuoteRefinedHandler(OrderingDbContext db, TimeProvider clock, ILogger<QuoteRefinedHandler> logger)
    : IIntegrationEventHandler<QuoteRefined>
{
    public async Task HandleAsync(QuoteRefined message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderAsync(message.OrderId, cancellationToken);
        if (order.Status == OrderStatus.PriceCalculating)
        {
            // The estimate it refines has not been applied yet: try again once it has.
            throw new MessageOutOfOrderException($"Order {order.Number} has no quote yet to refine.");
        }

        if (!order.AcceptsRefinementOf(message.ReplacesQuoteId))
        {
            // Confirmed, cancelled or quoted again meanwhile: the customer's decision stands on the quote they saw.
            logger.LogInformation("Exact quote {QuoteId} for order {OrderNumber} (refining {EstimateQuoteId}) arrived while it is {Status} with quote {CurrentQuoteId}; not applied",
                message.Quote.QuoteId, order.Number, message.ReplacesQuoteId, order.Status, order.QuoteId);
            return;
        }

        var now = clock.GetUtcNow();
        db.Publish(order.RefineQuote(message.ReplacesQuoteId, message.Quote, now), clock);
        // A partner's limit the estimate exceeded may cover the exact price.
        foreach (var confirmation in order.AutoConfirm(now))
        {
            db.Publish(confirmation, clock);
        }
    }
}
