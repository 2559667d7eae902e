namespace PrintFlow.Contracts;

/// <summary>Who ordered: enough for every consumer to act without asking the channel.</summary>
/// <param name="CustomerId">Stable id within the channel (a shop account id or a partner id).</param>
public sealed record CustomerRef(string CustomerId, string Name, string Email, SalesChannel Channel);

/// <summary>One model of an order. The model itself lives in the content-addressed model store.</summary>
/// <param name="Colour">A colour of the material from the price list; null in messages from before colours (the factory's default).</param>
/// <param name="Quality">A print quality (layer height) from the price list: Draft, Standard or Fine; null means Standard.</param>
public sealed record OrderItem(
    Guid ItemId,
    string ModelSha256,
    string FileName,
    long SizeBytes,
    string Material,
    int Quantity,
    string? Colour = null,
    string? Quality = null);

/// <summary>A line of a quote: its English description, and what a reader's language needs to word it again.</summary>
/// <param name="Kind">The line's kind ("material", "colour", …); null in older messages (then only the description).</param>
/// <param name="Names">The words the line names (file, material, currency, …), as they are.</param>
/// <param name="Numbers">The line's numbers (grams, hours, quantity, rate, …), formatted by the reader.</param>
public sealed record QuoteLine(string Description, decimal Amount, string? Kind = null, IReadOnlyList<string>? Names = null, IReadOnlyList<decimal>? Numbers = null);

/// <summary>
/// One of Pricing's refusals, so a reader's language can word it again (beside the English sentence that travels with it).
/// </summary>
/// <param name="ItemName">The file it concerns; null for the order as a whole (its lead time).</param>
/// <param name="Code">The machine-readable code (<c>colour.unknown</c>, …).</param>
/// <param name="Sentence">Which sentence words it (resource <c>Rejection.&lt;Sentence&gt;</c>).</param>
/// <param name="Arguments">The values the sentence names, as they are (price-list names, the customer's words).</param>
public sealed record RejectionPart(string? ItemName, string Code, string Sentence, IReadOnlyList<string> Arguments);

/// <summary>The result of analysing one item, carried so MES and the channels need not re-analyse.</summary>
public sealed record ItemQuote(
    Guid ItemId,
    string FileName,
    long Triangles,
    double VolumeMm3,
    double PrintTimeHours,
    double MaterialGrams,
    decimal Amount,
    IReadOnlyList<string> Warnings,
    PartSize? SizeMm = null);

/// <summary>A part's bounding box in millimetres, as modelled (MES checks it against printers' build volumes).</summary>
public sealed record PartSize(double X, double Y, double Z);

/// <param name="RefiningUntil">
/// Set on an estimate that the slicer is refining: the exact quote replaces it before this time, or the estimate stands
/// (docs/pricing-service.md). Null on exact quotes and on estimates nobody refines.
/// </param>
public sealed record QuoteSummary(
    Guid QuoteId,
    decimal Amount,
    string Currency,
    string Mode,
    DateTimeOffset ValidUntil,
    IReadOnlyList<QuoteLine> Lines,
    IReadOnlyList<ItemQuote> Items,
    DateTimeOffset? RefiningUntil = null)
{
    /// <summary>Whether the channels should still say "price being refined" at <paramref name="now"/>.</summary>
    public bool IsRefining(DateTimeOffset now) => RefiningUntil is { } until && now < until;
}

/// <summary>Where the parcel goes. Validated by the channel that takes it (Shop checkout, Partner API).</summary>
/// <param name="Country">ISO 3166-1 alpha-2 code, upper case (RU, DE, …).</param>
public sealed record ShippingAddress(
    string Recipient,
    string Line1,
    string? Line2,
    string City,
    string? Region,
    string PostalCode,
    string Country,
    string? Phone);

/// <summary>The parcel handed to a carrier: what the customer needs to follow it.</summary>
/// <param name="Carrier">The carrier's code from MES's carrier list (for example <c>cdek</c>, <c>russian-post</c>, <c>dhl</c>).</param>
/// <param name="TrackingUrl">The carrier's public tracking page for this parcel, when the carrier has one.</param>
public sealed record Shipment(string Carrier, string TrackingNumber, string? TrackingUrl, DateTimeOffset ShippedAt);
