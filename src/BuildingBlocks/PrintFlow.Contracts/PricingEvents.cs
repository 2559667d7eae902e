namespace PrintFlow.Contracts;

/// <summary>Ordering asks Pricing for a quote. <paramref name="Attempt"/> grows when a stuck request is re-driven.</summary>
[MessageName("pricing.price-requested")]
public sealed record PriceRequested(
    Guid OrderId,
    CustomerRef Customer,
    IReadOnlyList<OrderItem> Items,
    LeadTime LeadTime,
    int Attempt,
    DateTimeOffset RequestedAt) : IIntegrationEvent;

[MessageName("pricing.price-calculated")]
public sealed record PriceCalculated(Guid OrderId, QuoteSummary Quote, DateTimeOffset CalculatedAt) : IIntegrationEvent;

/// <summary>The model cannot be priced: unreadable, or unprintable. The reason is a sentence a person understands.</summary>
/// <param name="Parts">The same reason refusal by refusal, to be worded in the reader's language; null when Pricing has no words for one of them.</param>
[MessageName("pricing.failed")]
public sealed record PricingFailed(Guid OrderId, string Code, string Reason, DateTimeOffset At, IReadOnlyList<RejectionPart>? Parts = null) : IIntegrationEvent;

/// <summary>
/// Exact mode sliced the order's FDM parts after the instant estimate <paramref name="ReplacesQuoteId"/> was sent:
/// <paramref name="Quote"/> (Mode "exact") replaces it while the order still waits for confirmation with it.
/// </summary>
[MessageName("pricing.quote-refined")]
public sealed record QuoteRefined(Guid OrderId, Guid ReplacesQuoteId, QuoteSummary Quote, DateTimeOffset RefinedAt) : IIntegrationEvent;

/// <summary>
/// The Shop asks for an instant quote of a cart (models a visitor uploaded, not yet an order). <paramref name="OrderId"/>
/// is the cart's id (the correlation id); <paramref name="Revision"/> grows with every change, so a late answer to an
/// older revision is recognised and ignored.
/// </summary>
[MessageName("pricing.cart-quote-requested")]
public sealed record CartQuoteRequested(
    Guid OrderId,
    int Revision,
    IReadOnlyList<OrderItem> Items,
    LeadTime LeadTime,
    DateTimeOffset RequestedAt) : IIntegrationEvent;

/// <summary>
/// Pricing's answer to <see cref="CartQuoteRequested"/>: a price per item, or per item the reason it cannot be printed,
/// the lines charged once per order, and the price list's choices (colours, qualities, lead times) for the page.
/// </summary>
/// <param name="Total">The sum of the priced items and <paramref name="OrderLines"/>; null when no item could be priced.</param>
[MessageName("pricing.cart-quoted")]
public sealed record CartQuoted(
    Guid OrderId,
    int Revision,
    string Currency,
    IReadOnlyList<CartItemQuote> Items,
    IReadOnlyList<QuoteLine> OrderLines,
    decimal? Total,
    PriceCatalogue Catalogue,
    DateTimeOffset QuotedAt) : IIntegrationEvent;

/// <summary>One cart item as priced: <paramref name="Amount"/> and lines, or <paramref name="RejectionCode"/> and why.</summary>
/// <param name="SizeMm">The model's bounding box, X, Y and Z in millimetres; null when the file could not be read.</param>
/// <param name="Colour">The colour priced (the material's first one when the item named none).</param>
/// <param name="RejectionWording">The refusal, to be worded in the reader's language; null when Pricing has no words for it.</param>
public sealed record CartItemQuote(
    Guid ItemId,
    decimal? Amount,
    IReadOnlyList<QuoteLine> Lines,
    PartSize? SizeMm,
    double? PrintHours,
    double? MaterialGrams,
    IReadOnlyList<ModelNote> Warnings,
    string? RejectionCode,
    string? Rejection,
    string? Colour,
    RejectionPart? RejectionWording = null);

/// <summary>A printability note about a model: a stable code and Pricing's sentence.</summary>
public sealed record ModelNote(string Code, string Message);

/// <summary>What a buyer may choose, from the price list.</summary>
public sealed record PriceCatalogue(
    string Currency,
    IReadOnlyList<CatalogueMaterial> Materials,
    IReadOnlyList<string> Qualities,
    IReadOnlyList<CatalogueLeadTime> LeadTimes);

public sealed record CatalogueMaterial(string Name, IReadOnlyList<CatalogueColour> Colours);

/// <param name="SurchargePerPart">Added per part for this colour; 0 for the standard colours.</param>
public sealed record CatalogueColour(string Name, decimal SurchargePerPart);

/// <param name="ShipWithinDays">Calendar days from the order to the promised ship-by date.</param>
public sealed record CatalogueLeadTime(string Name, int ShipWithinDays);
