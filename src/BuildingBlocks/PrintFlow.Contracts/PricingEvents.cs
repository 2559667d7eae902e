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
[MessageName("pricing.failed")]
public sealed record PricingFailed(Guid OrderId, string Code, string Reason, DateTimeOffset At) : IIntegrationEvent;

/// <summary>
/// Exact mode sliced the order's FDM parts after the instant estimate <paramref name="ReplacesQuoteId"/> was sent:
/// <paramref name="Quote"/> (Mode "exact") replaces it while the order still waits for confirmation with it.
/// </summary>
[MessageName("pricing.quote-refined")]
public sealed record QuoteRefined(Guid OrderId, Guid ReplacesQuoteId, QuoteSummary Quote, DateTimeOffset RefinedAt) : IIntegrationEvent;
