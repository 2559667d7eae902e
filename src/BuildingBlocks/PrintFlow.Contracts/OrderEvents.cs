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
    DateTimeOffset SubmittedAt,
    ShippingAddress? ShipTo = null) : IIntegrationEvent;

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
/// <remarks>
/// Transitions Ordering makes in one transaction travel as one event (Submitted → PriceCalculating; Quoted →
/// Confirmed when a partner's limit confirms the quote at once): the event is the last of them, and
/// <paramref name="Passed"/> lists the ones before it, oldest first, so a consumer's history still gets every
/// transition (<see cref="Steps"/>). Older events have no <paramref name="Passed"/>.
/// </remarks>
/// <param name="Passed">The transitions of the same transaction before this one, oldest first; null when none.</param>
/// <param name="Shipment">The carrier and tracking number, from Shipped on; null before and for older events.</param>
/// <param name="ReasonParts">A rejection's <paramref name="Reason"/> refusal by refusal, for the reader's language; null otherwise.</param>
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
    IReadOnlyList<OrderItem> Items,
    IReadOnlyList<StatusStep>? Passed = null,
    Shipment? Shipment = null,
    IReadOnlyList<RejectionPart>? ReasonParts = null) : IRoutedEvent
{
    /// <summary>Routed by sales channel: Shop takes only shop orders' events, Partners only partner orders'.</summary>
    public string Route() => Customer.Channel switch
    {
        SalesChannel.Shop => "shop",
        SalesChannel.Partner => "partner",
        _ => Customer.Channel.ToString().ToLowerInvariant(),
    };

    /// <summary>Every transition this event reports, oldest first: <see cref="Passed"/>, then the event's own.</summary>
    public IReadOnlyList<StatusStep> Steps() => [.. Passed ?? [], new StatusStep(Status, Previous, Version, At, Reason, ReasonParts)];

    /// <summary>
    /// This event and <paramref name="next"/> (the same order's following transition, in the same transaction) as
    /// one event: <paramref name="next"/>, with this event's steps before its own.
    /// </summary>
    public OrderStatusChanged FollowedBy(OrderStatusChanged next)
    {
        if (next.OrderId != OrderId || next.Version <= Version)
        {
            throw new ArgumentException($"Only a later transition of order {OrderId} can follow v{Version}.", nameof(next));
        }

        return next with { Passed = [.. Steps(), .. next.Passed ?? []] };
    }
}

/// <summary>One transition an <see cref="OrderStatusChanged"/> reports.</summary>
public sealed record StatusStep(OrderStatus Status, OrderStatus? Previous, int Version, DateTimeOffset At, string? Reason, IReadOnlyList<RejectionPart>? ReasonParts = null);

/// <summary>Ordering refused a request (for example confirming an expired quote); the reason is for people.</summary>
[MessageName("orders.command-rejected")]
public sealed record OrderCommandRejected(Guid OrderId, string Command, string Code, string Reason, DateTimeOffset At) : IIntegrationEvent;

/// <summary>
/// Ordering's watchdog found the order past its state's deadline: published once per stay in a state (the first
/// time it is flagged), with what the watchdog did about it. Recovery needs no event of its own: the next
/// <see cref="OrderStatusChanged"/> ends the episode.
/// </summary>
/// <param name="EnteredAt">When the order entered <paramref name="Status"/>.</param>
/// <param name="DeadlineAt">When it should have left it (<paramref name="EnteredAt"/> plus the state's deadline).</param>
/// <param name="Redrive">What the watchdog did: <c>price-requested-again</c>, <c>manufacturing-requested-again</c> or <c>status-republished</c>.</param>
/// <param name="Attempt">The re-drive attempt in this state (a channel's re-sent submission counts too).</param>
[MessageName("orders.stuck")]
public sealed record OrderStuck(
    Guid OrderId,
    CustomerRef Customer,
    OrderStatus Status,
    DateTimeOffset EnteredAt,
    DateTimeOffset DeadlineAt,
    string Redrive,
    int Attempt,
    DateTimeOffset At) : IIntegrationEvent;
