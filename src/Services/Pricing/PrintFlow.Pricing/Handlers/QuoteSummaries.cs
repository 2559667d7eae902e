using PrintFlow.Contracts;
using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Handlers;

/// <summary>A priced quote as the integration events carry it.</summary>
internal static class QuoteSummaries
{
    /// <summary>The refusal for the reader's language; null when it has no sentence of its own (a file's reading error).</summary>
    public static RejectionPart? Wording(QuoteRejection rejection, bool withItem = true) =>
        rejection.Sentence is { } sentence
            ? new RejectionPart(withItem && rejection.ItemName.Length > 0 ? rejection.ItemName : null, rejection.Code, sentence, rejection.Arguments ?? [])
            : null;

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
            SizeOf(requests[index].Analysis))).ToList();
        return new QuoteSummary(
            Guid.CreateVersion7(quote.CreatedAt),
            quote.Total,
            quote.Currency,
            mode ?? quote.Mode,
            quote.ValidUntil,
            quote.Lines.Select(l => new QuoteLine(l.Description, l.Amount, l.Kind, l.Names, l.Numbers)).ToList(),
            itemQuotes);
    }

    /// <summary>The model's bounding box in millimetres, rounded to 0.1 mm: what a buyer reads as its size and MES fits to printers.</summary>
    public static PartSize SizeOf(PrintFlow.Geometry.MeshAnalysis analysis)
    {
        var size = analysis.BoundingBoxMm.Size;
        return new PartSize(Math.Round(size.X, 1), Math.Round(size.Y, 1), Math.Round(size.Z, 1));
    }
}
