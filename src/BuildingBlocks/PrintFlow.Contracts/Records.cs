namespace PrintFlow.Contracts;

/// <summary>Who ordered: enough for every consumer to act without asking the channel.</summary>
/// <param name="CustomerId">Stable id within the channel (a shop account id or a partner id).</param>
public sealed record CustomerRef(string CustomerId, string Name, string Email, SalesChannel Channel);

/// <summary>One model of an order. The model itself lives in the content-addressed model store.</summary>
public sealed record OrderItem(
    Guid ItemId,
    string ModelSha256,
    string FileName,
    long SizeBytes,
    string Material,
    int Quantity,
    string? Colour = null);

public sealed record QuoteLine(string Description, decimal Amount);

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

public sealed record QuoteSummary(
    Guid QuoteId,
    decimal Amount,
    string Currency,
    string Mode,
    DateTimeOffset ValidUntil,
    IReadOnlyList<QuoteLine> Lines,
    IReadOnlyList<ItemQuote> Items);

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
