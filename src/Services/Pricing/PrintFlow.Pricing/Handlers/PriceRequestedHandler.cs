using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;
using PrintFlow.Contracts;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Exact;
using PrintFlow.Pricing.Options;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Pricing.Handlers;

/// <summary>
/// Prices an order: analyses each model (cached), applies the price list, answers with a quote or a reason. The
/// instant estimate always comes first; with the ExactPricing flag on, a job to slice the FDM parts commits with it.
/// </summary>
public sealed class PriceRequestedHandler(
    PricingDbContext db, ModelAnalyzer analyzer, Quoter quoter, IFeatureManager features, ExactJobSignal exactJobs,
    PricingServiceOptions service, TimeProvider clock, PrintFlowMetrics metrics)
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
                requests.Add(new QuoteItemRequest(item.FileName, analysis, item.Material, item.Quantity, Colour: item.Colour, Quality: item.Quality));
            }
            catch (ModelFormatException unreadable)
            {
                var what = unreadable.Code == ModelFormatException.TooComplex ? "could not be priced" : "could not be read";
                db.Publish(new PricingFailed(message.OrderId, unreadable.Code,
                    $"{item.FileName} {what}: {unreadable.Message}", clock.GetUtcNow()), clock);
                return "unreadable";
            }
        }

        var outcome = quoter.Quote(new QuoteRequest(requests, message.LeadTime.ToString()));
        if (outcome.Quote is not { } quote)
        {
            var first = outcome.Rejections[0];
            var reason = string.Join(" ", outcome.Rejections.Select(r => string.IsNullOrEmpty(r.ItemName) ? r.Reason : $"{r.ItemName}: {r.Reason}"));
            var parts = outcome.Rejections.Select(r => QuoteSummaries.Wording(r)).ToList();
            db.Publish(new PricingFailed(message.OrderId, first.Code, reason, clock.GetUtcNow(),
                parts.All(p => p is not null) ? [.. parts.Select(p => p!)] : null), clock);
            return "rejected";
        }

        var summary = QuoteSummaries.From(quote, message.Items, requests);
        var now = clock.GetUtcNow();
        // A re-driven request quotes again, but Ordering keeps the first quote that reached it: refine only that one.
        // The slicer profile has one layer height, so an order with a chosen quality keeps its estimate.
        if (summary.Mode != PrintEstimate.ExactMode && message.Items.Any(IsFdm) && message.Items.All(UsesProfileLayers)
            && await features.IsEnabledAsync(FeatureFlags.ExactPricing)
            && !await db.ExactJobs.AnyAsync(j => j.OrderId == message.OrderId, cancellationToken))
        {
            // The channels show "price being refined" until the exact quote replaces this one or the deadline passes.
            summary = summary with { RefiningUntil = now + service.Exact.RefiningDeadline };
            db.ExactJobs.Add(new ExactJob
            {
                EstimateQuoteId = summary.QuoteId,
                OrderId = message.OrderId,
                Request = message,
                State = ExactJobState.Pending,
                CreatedAt = now,
            });
            db.AfterCommit(exactJobs.Notify);
        }

        db.Publish(new PriceCalculated(message.OrderId, summary, now), clock);
        return "quoted";
    }

    private bool UsesProfileLayers(OrderItem item) =>
        item.Quality is null
        || quoter.Options.FindQuality(item.Quality)?.FdmLayerHeightMm is not { } height
        || quoter.Options.FindMaterial(item.Material) is not { } material
        || quoter.Options.FindPrinter(material.Printer)?.Fdm is not { } profile
        || height == profile.LayerHeightMm;

    private bool IsFdm(OrderItem item) =>
        quoter.Options.FindMaterial(item.Material) is { } material
        && quoter.Options.FindPrinter(material.Printer)?.Technology == PrintTechnology.Fdm;
}
