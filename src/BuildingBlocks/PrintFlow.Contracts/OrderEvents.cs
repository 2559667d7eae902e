namespace PrintFlow.Contracts;

/// <summary>A channel (Shop or Partners) submits an order. The channel assigns the id, so re-sending is idempotent.</summary>
[MessageName("orders.submitted")]
public sealed record OrderSubmitted(
    Guid OrderId,
    CustomerRef Customer,
    IReadOnlyList<OrderItem> Items,
    LeadTime LeadTime,
    DateTimeOffset? DueDate,
    decimal? AutoConfirmBelow,
    DateTimeOffset SubmittedAt) : IIntegrationEvent;

/// <summary>The customer accepts a quote.</summary>
[MessageName("orders.confirmation-requested")]
public sealed record OrderConfirmationRequested(Guid OrderId, Guid QuoteId, string By, DateTimeOffset At) : IIntegrationEvent;

/// <summary>The customer asks to cancel (allowed before printing starts).</summary>
[MessageName("orders.cancellation-requested")]
public sealed record OrderCancellationRequested(Guid OrderId, string By, string Reason, DateTimeOffset At) : IIntegrationEvent;

/// <summary>
/// Every change of an order's state, published by Ordering. <paramref name="Version"/> grows by one with
/// each transition, so a consumer can ignore a late, older status.
/// </summary>
[MessageName("orders.status-changed")]
public sealed record OrderStatusChanged(
    Guid OrderId,
    CustomerRef Customer,
    OrderStatus Status,
    OrderStatus? Previous,
    int Version,
    DateTimeOffset At,
    string? Reason,
    QuoteSummary? Quote,
    IReadOnlyList<OrderItem> Items) : IIntegrationEvent;

/// <summary>Ordering refused a request (for example confirming an expired quote); the reason is for people.</summary>
[MessageName("orders.command-rejected")]
public sealed record OrderCommandRejected(Guid OrderId, string Command, string Code, string Reason, DateTimeOffset At) : IIntegrationEvent;
