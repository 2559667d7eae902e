using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// One line of a quote, worded for the customer in English. A quote's lines always sum exactly to its total.
/// <paramref name="Kind"/>, <paramref name="Names"/> and <paramref name="Numbers"/> let a page word it again in its
/// reader's language (SharedStrings "QuoteLine.{Kind}": the names are {0}…, the numbers follow).
/// </summary>
public sealed record PriceLine(string Description, decimal Amount, string? Kind = null, IReadOnlyList<string>? Names = null, IReadOnlyList<decimal>? Numbers = null);

/// <summary>One model to quote. <paramref name="Exact"/> replaces the geometric estimate when the model was sliced.</summary>
/// <param name="Colour">A colour of the material (its surcharge is added); null for none chosen (no surcharge).</param>
/// <param name="Quality">A key of <see cref="PricingOptions.Qualities"/>; null for the printer's own profile.</param>
public sealed record QuoteItemRequest(
    string Name, MeshAnalysis Analysis, string Material, int Quantity, PrintEstimate? Exact = null, string? Colour = null, string? Quality = null);

/// <param name="LeadTime">A key of <see cref="PricingOptions.LeadTimeMultipliers"/>, e.g. "Standard" or "Express".</param>
public sealed record QuoteRequest(IReadOnlyList<QuoteItemRequest> Items, string LeadTime = "Standard");

public sealed record QuotedItem(
    string Name,
    string Material,
    int Quantity,
    PrintEstimate Estimate,
    decimal UnitPrice,
    decimal Amount,
    IReadOnlyList<PriceLine> Lines,
    IReadOnlyList<ModelWarning> Warnings);

public sealed record Quote(
    string Currency,
    decimal Total,
    string Mode,
    DateTimeOffset CreatedAt,
    DateTimeOffset ValidUntil,
    IReadOnlyList<PriceLine> Lines,
    IReadOnlyList<QuotedItem> Items);

/// <summary>
/// Why an item (and so the order) cannot be quoted: a stable code and a sentence a person understands (English), with
/// the sentence's name and values when the channels can word it in their reader's language.
/// </summary>
public sealed record QuoteRejection(string ItemName, string Code, string Reason, string? Sentence = null, IReadOnlyList<string>? Arguments = null);

/// <summary>Either a quote, or the reasons none can be given; never both.</summary>
public sealed record QuoteOutcome(Quote? Quote, IReadOnlyList<QuoteRejection> Rejections)
{
    public bool IsQuoted => Quote is not null;
}

/// <summary>Stable codes of rejections and warnings; part of the public API (events, partner API, CLI).</summary>
public static class PricingCodes
{
    public const string NoVolume = "model.no-volume";
    public const string TooBigForPrinter = "model.too-big-for-printer";
    public const string NotWatertight = "model.not-watertight";
    public const string UnknownMaterial = "material.unknown";
    public const string BadQuantity = "quote.bad-quantity";
    public const string UnknownLeadTime = "quote.unknown-lead-time";
    public const string NoItems = "quote.no-items";
    public const string UnknownColour = "colour.unknown";
    public const string UnknownQuality = "quality.unknown";
    public const string NeedsSupport = "model.needs-support";
}
