using PrintFlow.Contracts;

namespace PrintFlow.Ordering.Domain;

/// <summary>
/// The order's lifecycle: the single owner of its state. Every method performs one legal transition (recorded in
/// <see cref="History"/> with its time and returned as the <see cref="OrderStatusChanged"/> to publish) or throws.
/// </summary>
public sealed class Order
{
    // EF fills it through the field (OrderingDbContext); outside code reads History and changes it only by a transition.
    private readonly List<OrderTransition> _history = [];

    private Order()
    {
        // EF Core materialisation.
    }

    public Guid Id { get; private set; }
    public string Number { get; private set; } = "";
    public SalesChannel Channel { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string CustomerName { get; private set; } = "";
    public string CustomerEmail { get; private set; } = "";
    public LeadTime LeadTime { get; private set; }
    public DateTimeOffset? DueDate { get; private set; }
    public decimal? AutoConfirmBelow { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }

    public OrderStatus Status { get; private set; }
    public DateTimeOffset StatusSince { get; private set; }
    /// <summary>Grows by one per transition; the optimistic-concurrency token and the version channels compare.</summary>
    public int Version { get; private set; }
    public string? Reason { get; private set; }

    public int PricingAttempt { get; private set; }
    public Guid? QuoteId { get; private set; }
    public decimal? QuoteAmount { get; private set; }
    public DateTimeOffset? QuoteValidUntil { get; private set; }
    public Guid? JobId { get; private set; }
    /// <summary>The last manufacturing step applied, so MES steps apply once and in order.</summary>
    public int ManufacturingSequence { get; private set; }
    /// <summary>When the watchdog last acted on this order in its current state, and how often it did.</summary>
    public DateTimeOffset? RedrivenAt { get; private set; }
    public int Redrives { get; private set; }
    /// <summary>When the watchdog first reported the order stuck in its current state (one <see cref="OrderStuck"/> per stay).</summary>
    public DateTimeOffset? StuckReportedAt { get; private set; }

    /// <summary>Stored as JSON in the ItemsJson column; EF converts it once when it reads the order (OrderingDbContext).</summary>
    public IReadOnlyList<OrderItem> Items { get; private set; } = [];

    /// <summary>Stored as JSON in the QuoteJson column; replaced as a whole, never changed in place.</summary>
    public QuoteSummary? Quote { get; private set; }

    /// <summary>Where the parcel goes, as the channel sent it (ShipToJson column); null for orders submitted without one.</summary>
    public ShippingAddress? ShipTo { get; private set; }

    /// <summary>The carrier and tracking number MES reported on the Shipped step (ShipmentJson column); null before.</summary>
    public Shipment? Shipment { get; private set; }

    public IReadOnlyList<OrderTransition> History => _history.AsReadOnly();

    public CustomerRef Customer => new(CustomerId, CustomerName, CustomerEmail, Channel);

    public static (Order Order, OrderStatusChanged Changed) Submit(OrderSubmitted submitted, DateTimeOffset now)
    {
        if (submitted.Items.Count == 0)
        {
            throw new OrderRuleException("order.no-items", "An order needs at least one model.");
        }

        var order = new Order
        {
            Id = submitted.OrderId,
            Number = OrderNumber.From(submitted.OrderId),
            Channel = submitted.Customer.Channel,
            CustomerId = submitted.Customer.CustomerId,
            CustomerName = submitted.Customer.Name,
            CustomerEmail = submitted.Customer.Email,
            LeadTime = submitted.LeadTime,
            DueDate = submitted.DueDate,
            AutoConfirmBelow = submitted.AutoConfirmBelow,
            SubmittedAt = submitted.SubmittedAt,
            Items = submitted.Items,
            ShipTo = submitted.ShipTo,
            Status = OrderStatus.Submitted,
            StatusSince = now,
            Version = 1,
        };
        order._history.Add(new OrderTransition(order.Id, null, OrderStatus.Submitted, now, null));
        return (order, order.Changed(null, now));
    }

    public (OrderStatusChanged Changed, PriceRequested Request) StartPricing(DateTimeOffset now)
    {
        var changed = MoveTo(OrderStatus.PriceCalculating, null, now);
        PricingAttempt++;
        return (changed, NewPriceRequest(now));
    }

    /// <summary>Asks again for a price after the request got stuck: same state, a new attempt.</summary>
    public PriceRequested RetryPricing(DateTimeOffset now)
    {
        if (Status != OrderStatus.PriceCalculating)
        {
            throw new IllegalTransitionException(Id, Status, OrderStatus.PriceCalculating);
        }

        PricingAttempt++;
        return NewPriceRequest(now);
    }

    public OrderStatusChanged RecordQuote(QuoteSummary quote, DateTimeOffset now)
    {
        var previousStatus = Status;
        if (!OrderLifecycle.CanMove(previousStatus, OrderStatus.Quoted))
        {
            throw new IllegalTransitionException(Id, previousStatus, OrderStatus.Quoted);
        }

        QuoteId = quote.QuoteId;
        QuoteAmount = quote.Amount;
        QuoteValidUntil = quote.ValidUntil;
        Quote = quote;
        return MoveTo(OrderStatus.Quoted, null, now);
    }

    /// <summary>
    /// Whether an exact quote made from the estimate <paramref name="replacesQuoteId"/> may replace the current quote:
    /// only while the order waits for confirmation of exactly that estimate.
    /// </summary>
    public bool AcceptsRefinementOf(Guid replacesQuoteId) => Status == OrderStatus.Quoted && QuoteId == replacesQuoteId;

    /// <summary>
    /// Replaces the estimate with the exact quote Pricing made from it. Not a transition: the order stays Quoted and
    /// its History is unchanged, but the Version grows so the channels show the new quote.
    /// </summary>
    public OrderStatusChanged RefineQuote(Guid replacesQuoteId, QuoteSummary quote, DateTimeOffset now)
    {
        if (!AcceptsRefinementOf(replacesQuoteId))
        {
            throw new OrderRuleException("quote.not-refinable", Status == OrderStatus.Quoted
                ? $"The quote of order {Number} is no longer the one that was refined."
                : $"Order {Number} is {Status}; only a quote still waiting for confirmation can be refined.");
        }

        QuoteId = quote.QuoteId;
        QuoteAmount = quote.Amount;
        QuoteValidUntil = quote.ValidUntil;
        Quote = quote;
        Version++;
        return new OrderStatusChanged(Id, Customer, Status, Status, Version, now, null, quote, Items);
    }

    public bool ShouldAutoConfirm => Status == OrderStatus.Quoted && AutoConfirmBelow is { } limit && QuoteAmount <= limit;

    /// <summary>
    /// Confirms the current quote at once when the partner's limit covers it (<see cref="ShouldAutoConfirm"/>), after a
    /// quote or its refinement: the one place that rule is applied. Returns the messages to publish, none otherwise.
    /// </summary>
    public IReadOnlyList<IIntegrationEvent> AutoConfirm(DateTimeOffset now)
    {
        if (!ShouldAutoConfirm)
        {
            return [];
        }

        var (confirmed, manufacturing) = Confirm(QuoteId!.Value, now);
        return [confirmed, manufacturing];
    }

    /// <summary>Already confirmed with this quote (a repeated click or a re-sent request), so confirming again changes nothing.</summary>
    public bool IsConfirmedWith(Guid quoteId) =>
        Status > OrderStatus.Quoted && Status is not (OrderStatus.Rejected or OrderStatus.Cancelled) && QuoteId == quoteId;

    public (OrderStatusChanged Changed, ManufacturingRequested Request) Confirm(Guid quoteId, DateTimeOffset now)
    {
        if (Status != OrderStatus.Quoted)
        {
            throw new OrderRuleException("order.not-quoted", $"Order {Number} is {Status}; only a quoted order can be confirmed.");
        }

        if (quoteId != QuoteId)
        {
            throw new OrderRuleException("quote.mismatch", Quote?.Mode == "exact"
                ? $"The quote of order {Number} was updated with exact figures from the slicer ({QuoteAmount:0.00} {Quote.Currency}); review and confirm the new quote."
                : $"That quote is not the current quote of order {Number}.");
        }

        if (QuoteValidUntil is { } validUntil && now > validUntil)
        {
            throw new OrderRuleException("quote.expired", $"The quote for order {Number} expired at {validUntil:u}; ask for a new one.");
        }

        var changed = MoveTo(OrderStatus.Confirmed, null, now);
        var request = new ManufacturingRequested(Id, Customer, Items, LeadTime, DueDate, Quote!, now, ShipTo);
        return (changed, request);
    }

    /// <summary>MES accepted the job (its step 1).</summary>
    public OrderStatusChanged ApproveManufacturing(Guid jobId, DateTimeOffset now)
    {
        var changed = MoveTo(OrderStatus.ManufacturingApproved, null, now);
        JobId = jobId;
        ManufacturingSequence = 1;
        return changed;
    }

    /// <summary>A later factory step (Printing … Delivered), applied in MES's sequence.</summary>
    /// <param name="shipment">The parcel, on the Shipped step; required there, kept and reported from then on.</param>
    public OrderStatusChanged AdvanceManufacturing(int sequence, OrderStatus stage, string? reason, DateTimeOffset now, Shipment? shipment = null)
    {
        if (stage is OrderStatus.ManufacturingApproved or < OrderStatus.ManufacturingApproved or OrderStatus.Rejected or OrderStatus.Cancelled)
        {
            throw new IllegalTransitionException(Id, Status, stage);
        }

        if (stage == OrderStatus.Shipped && shipment is not null && OrderLifecycle.CanMove(Status, stage))
        {
            Shipment = shipment;
        }

        var changed = MoveTo(stage, reason, now);
        ManufacturingSequence = sequence;
        return changed;
    }

    /// <param name="parts">Pricing's refusals one by one, passed on so the channels word them in their reader's language.</param>
    public OrderStatusChanged Reject(string reason, DateTimeOffset now, IReadOnlyList<RejectionPart>? parts = null) =>
        MoveTo(OrderStatus.Rejected, reason, now) with { ReasonParts = parts };

    /// <summary>The quote ran out before the customer confirmed it.</summary>
    public OrderStatusChanged ExpireQuote(DateTimeOffset now)
    {
        if (Status != OrderStatus.Quoted || QuoteValidUntil is not { } validUntil || now <= validUntil)
        {
            throw new OrderRuleException("quote.not-expired", $"The quote of order {Number} has not expired.");
        }

        return MoveTo(OrderStatus.Cancelled, $"The quote expired at {validUntil:u} before it was confirmed.", now);
    }

    /// <summary>
    /// The order is past its state's deadline: ask again for what it waits on. Every answer is idempotent, so a
    /// re-drive of an order that was only slow does no harm. Returns the messages to publish.
    /// </summary>
    public IReadOnlyList<IIntegrationEvent> Redrive(DateTimeOffset now)
    {
        RedrivenAt = now;
        Redrives++;
        return Status switch
        {
            OrderStatus.PriceCalculating => [RetryPricing(now)],
            OrderStatus.Confirmed => [new ManufacturingRequested(Id, Customer, Items, LeadTime, DueDate, Quote!, now, ShipTo)],
            // Elsewhere the next move is a person's: tell the channels again where the order stands.
            _ => [Changed(null, StatusSince)], // the status as it was entered, not a new move
        };
    }

    /// <summary>
    /// The watchdog's re-drive of an order past its state's <paramref name="deadline"/>: <see cref="Redrive"/>, plus an
    /// <see cref="OrderStuck"/> the first time in this state, so a long stall is reported once, not every sweep.
    /// </summary>
    public IReadOnlyList<IIntegrationEvent> RedriveStuck(TimeSpan deadline, DateTimeOffset now)
    {
        var messages = Redrive(now).ToList();
        if (StuckReportedAt is null)
        {
            StuckReportedAt = now;
            messages.Add(new OrderStuck(Id, Customer, Status, StatusSince, StatusSince + deadline, RedriveAction, Redrives, now));
        }

        return messages;
    }

    /// <summary>What <see cref="Redrive"/> does in the current state, in the words <see cref="OrderStuck"/> uses.</summary>
    public string RedriveAction => Status switch
    {
        OrderStatus.PriceCalculating => "price-requested-again",
        OrderStatus.Confirmed => "manufacturing-requested-again",
        _ => "status-republished",
    };

    /// <summary>The time the order's current wait started: entering the state, or the last re-drive.</summary>
    public DateTimeOffset WaitingSince => RedrivenAt is { } redriven && redriven > StatusSince ? redriven : StatusSince;

    /// <summary>Cancels before printing; says whether MES holds a job to withdraw.</summary>
    public (OrderStatusChanged Changed, bool WithdrawFromFactory) Cancel(string reason, DateTimeOffset now)
    {
        if (!OrderLifecycle.CanMove(Status, OrderStatus.Cancelled))
        {
            throw new OrderRuleException("order.cannot-cancel", Status is OrderStatus.Delivered or OrderStatus.Rejected
                ? $"Order {Number} is already {Status}."
                : $"Order {Number} is already in production ({Status}) and can no longer be cancelled.");
        }

        var withdraw = OrderLifecycle.FactoryHasIt(Status);
        return (MoveTo(OrderStatus.Cancelled, reason, now), withdraw);
    }

    private OrderStatusChanged MoveTo(OrderStatus target, string? reason, DateTimeOffset now)
    {
        var previous = Status;
        if (!OrderLifecycle.CanMove(previous, target))
        {
            throw new IllegalTransitionException(Id, previous, target);
        }

        Status = target;
        StatusSince = now;
        RedrivenAt = null;
        Redrives = 0;
        StuckReportedAt = null;
        Reason = reason;
        Version++;
        _history.Add(new OrderTransition(Id, previous, target, now, reason));
        return Changed(previous, now);
    }

    private PriceRequested NewPriceRequest(DateTimeOffset now) =>
        new(Id, Customer, Items, LeadTime, PricingAttempt, now);

    private OrderStatusChanged Changed(OrderStatus? previous, DateTimeOffset at) =>
        new(Id, Customer, Status, previous, Version, at, Reason, Quote, Items, Shipment: Shipment);
}

/// <summary>One recorded move of an order, with its time.</summary>
public sealed class OrderTransition
{
    private OrderTransition()
    {
        // EF Core materialisation.
    }

    public OrderTransition(Guid orderId, OrderStatus? from, OrderStatus to, DateTimeOffset at, string? reason)
    {
        OrderId = orderId;
        From = from;
        To = to;
        At = at;
        Reason = reason;
    }

    public long Id { get; private set; }
    public Guid OrderId { get; private set; }
    public OrderStatus? From { get; private set; }
    public OrderStatus To { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>What made the move: the message Ordering applied (<c>pricing.price-calculated</c>) or <c>ordering.watchdog</c>.</summary>
    public string? Cause { get; private set; }

    /// <summary>The service that sent <see cref="Cause"/> (Shop, Partners, Pricing, Mes, Ordering).</summary>
    public string? CausedBy { get; private set; }

    /// <summary>The W3C trace id of the operation that made the move (32 hex digits), for finding its trace.</summary>
    public string? TraceId { get; private set; }

    /// <summary>Stamped when the move is saved: the domain method knows the move, the unit of work knows its cause.</summary>
    internal void Attribute(string cause, string causedBy, string? traceId)
    {
        Cause = cause;
        CausedBy = causedBy;
        TraceId = traceId;
    }
}
