using System.Diagnostics;
using PrintFlow.Contracts;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Data;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Pricing.Handlers;

/// <summary>Prices an order: analyses each model (cached), applies the price list, answers with a quote or a reason.</summary>
public sealed class PriceRequestedHandler(PricingDbContext db, ModelAnalyzer analyzer, Quoter quoter, TimeProvider clock, PrintFlowMetrics metrics)
    : IIntegrationEventHandler<PriceRequested>
{
    public async Task HandleAsync(PriceRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var outcome = await PriceAsync(message, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        db.AfterCommit(() => metrics.PricingDuration(message.Items.Sum(i => i.SizeBytes), outcome, elapsed));
    }

    /// <returns>"quoted", "rejected" or "unreadable", for the pricing-duration metric.</returns>
    private async Task<string> PriceAsync(PriceRequested message, CancellationToken cancellationToken)
    {
        var requests = new List<QuoteItemRequest>(message.Items.Count);
        foreach (var item in message.Items)
        {
            try
            {
                var analysis = await analyzer.AnalyzeAsync(item.ModelSha256, item.FileName, cancellationToken);
                requests.Add(new QuoteItemRequest(item.FileName, analysis, item.Material, item.Quantity));
            }
            catch (ModelFormatException unreadable)
            {
                db.Publish(new PricingFailed(message.OrderId, unreadable.Code,
                    $"{item.FileName} could not be read: {unreadable.Message}", clock.GetUtcNow()), clock);
                return "unreadable";
            }
        }

        var outcome = quoter.Quote(new QuoteRequest(requests, message.LeadTime.ToString()));
        if (outcome.Quote is not { } quote)
        {
            var first = outcome.Rejections[0];
            var reason = string.Join(" ", outcome.Rejections.Select(r => string.IsNullOrEmpty(r.ItemName) ? r.Reason : $"{r.ItemName}: {r.Reason}"));
            db.Publish(new PricingFailed(message.OrderId, first.Code, reason, clock.GetUtcNow()), clock);
            return "rejected";
        }

        db.Publish(new PriceCalculated(message.OrderId, ToSummary(quote, message.Items, requests), clock.GetUtcNow()), clock);
        return "quoted";
    }

    private static QuoteSummary ToSummary(Quote quote, IReadOnlyList<OrderItem> items, List<QuoteItemRequest> requests)
    {
        // The quoter keeps the order of the items it was given.
        var itemQuotes = quote.Items.Select((quoted, index) => new ItemQuote(
            items[index].ItemId,
            quoted.Name,
            requests[index].Analysis.Triangles,
            requests[index].Analysis.VolumeMm3,
            quoted.Estimate.PrintHours,
            quoted.Estimate.MaterialGrams,
            quoted.Amount,
            quoted.Warnings.Select(w => w.Message).ToList())).ToList();
        return new QuoteSummary(
            Guid.CreateVersion7(quote.CreatedAt),
            quote.Total,
            quote.Currency,
            quote.Mode,
            quote.ValidUntil,
            quote.Lines.Select(l => new QuoteLine(l.Description, l.Amount)).ToList(),
            itemQuotes);
    }
}
