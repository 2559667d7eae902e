using PrintFlow.Contracts;
using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Handlers;

/// <summary>A priced quote as the integration events carry it.</summary>
internal static class QuoteSummaries
{
    /// <param name="extraWarnings">Per item (same order as <paramref name="items"/>), notes to add to its warnings; may be null.</param>
    public static QuoteSummary From(
        Quote quote, IReadOnlyList<OrderItem> items, IReadOnlyList<QuoteItemRequest> requests, string? mode = null,
        IReadOnlyList<string?>? extraWarnings = null)
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
            quoted.Warnings.Select(w => w.Message)
                .Concat(extraWarnings?[index] is { } extra ? [extra] : [])
                .ToList(),
            SizeOf(requests[index].Analysis.BoundingBoxMm))).ToList();
        return new QuoteSummary(
            Guid.CreateVersion7(quote.CreatedAt),
            quote.Total,
            quote.Currency,
            mode ?? quote.Mode,
            quote.ValidUntil,
            quote.Lines.Select(l => new QuoteLine(l.Description, l.Amount)).ToList(),
            itemQuotes);
    }

    private static PartSize SizeOf(Geometry.BoundingBox box) => new(box.Size.X, box.Size.Y, box.Size.Z);
}
