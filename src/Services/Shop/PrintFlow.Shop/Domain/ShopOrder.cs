using PrintFlow.Contracts;
using PrintFlow.Resending;

namespace PrintFlow.Shop.Domain;

/// <summary>
/// An order as its customer sees it: a local view of the lifecycle Ordering owns, kept up to date from
/// <see cref="OrderStatusChanged"/>. Items, quote and history are small and always read together, so they are
/// stored as JSON on the order row.
/// </summary>
public sealed class ShopOrder : IResendableSubmission
{
    private static readonly OrderStatus[] CancellableStatuses =
    [
        OrderStatus.Submitted, OrderStatus.PriceCalculating, OrderStatus.Quoted,
        OrderStatus.Confirmed, OrderStatus.ManufacturingApproved,
    ];

    // Replaced as a whole on every change (EF compares the JSON column by reference); read from outside through History.
    private List<StatusEntry> _history = [];

    private ShopOrder()
    {
    }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public string CustomerName { get; private set; } = "";
    public string CustomerEmail { get; private set; } = "";
    public OrderStatus Status { get; private set; }

    /// <summary>The version of the last status applied from Ordering; 0 until the first one arrives.</summary>
    public int Version { get; private set; }

    public LeadTime LeadTime { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? LastReason { get; private set; }

    /// <summary>A note for the customer, such as why a confirmation was refused.</summary>
    public const string ConfirmationSentMessage = "Thank you: your confirmation was sent.";
    public const string CancellationSentMessage = "Your cancellation request was sent.";

    public string? Message { get; private set; }

    public DateTimeOffset? MessageAt { get; private set; }

    /// <summary>The quote a confirmation was sent for; stops a second click from sending it again.</summary>
    public Guid? ConfirmationRequestedFor { get; private set; }

    public DateTimeOffset? CancellationRequestedAt { get; private set; }
    public int ConcurrencyStamp { get; private set; }

    /// <summary>How often the submission was re-sent because Ordering never answered it.</summary>
    public int Resends { get; private set; }

    public DateTimeOffset? LastSentAt { get; private set; }

    public string Number => OrderNumber.From(Id);

    /// <summary>Items, quote and history are JSON columns (ShopDbContext), converted once when the order is read.</summary>
    public IReadOnlyList<OrderItem> Items { get; private set; } = [];

    public IReadOnlyList<StatusEntry> History => _history.AsReadOnly();
    public QuoteSummary? Quote { get; private set; }

    /// <summary>Where the parcel goes; null only for orders placed before checkout asked for an address.</summary>
    public ShippingAddress? ShipTo { get; private set; }

    /// <summary>The ship-by date promised for the lead time when the order was placed; null for orders from before the promise.</summary>
    public DateTimeOffset? ShipBy { get; private set; }

    /// <summary>The carrier and tracking number, once the order has shipped.</summary>
    public Shipment? Shipment { get; private set; }

    public bool CanConfirm => Status == OrderStatus.Quoted && Quote is { } quote && ConfirmationRequestedFor != quote.QuoteId;
    public bool CanCancel => CancellableStatuses.Contains(Status) && CancellationRequestedAt is null;

    public static ShopOrder Submit(
        Customer customer, IReadOnlyList<OrderItem> items, LeadTime leadTime, DateTimeOffset now, ShippingAddress? shipTo = null, DateTimeOffset? shipBy = null)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException("An order needs at least one item.", nameof(items));
        }

        var order = new ShopOrder
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customer.Id,
            CustomerName = customer.DisplayName,
            CustomerEmail = customer.Email,
            Status = OrderStatus.Submitted,
            LeadTime = leadTime,
            SubmittedAt = now,
            UpdatedAt = now,
            LastSentAt = now,
            Items = items,
            ShipTo = shipTo,
            ShipBy = shipBy,
        };
        order._history = [new(0, OrderStatus.Submitted, now, null)];
        return order;
    }

    /// <summary>A status for a shop order this view has not seen submitted (its row was lost): rebuild it from the event.</summary>
    public static ShopOrder FromStatus(OrderStatusChanged change, Guid customerId)
    {
        var order = new ShopOrder
        {
            Id = change.OrderId,
            CustomerId = customerId,
            CustomerName = change.Customer.Name,
            CustomerEmail = change.Customer.Email,
            Status = OrderStatus.Submitted,
            SubmittedAt = change.At,
            UpdatedAt = change.At,
            LastSentAt = change.At,
            Items = change.Items,
        };
        order.Apply(change);
        return order;
    }

    public CustomerRef CustomerRef => new(CustomerId.ToString(), CustomerName, CustomerEmail, SalesChannel.Shop);

    public void RecordResend(DateTimeOffset now)
    {
        Resends++;
        LastSentAt = now;
    }

    public OrderSubmitted ToSubmitted() =>
        new(Id, CustomerRef, Items, LeadTime, DueDate: ShipBy, AutoConfirmBelow: null, SubmittedAt, ShipTo);

    /// <summary>
    /// The same models and options as a new order (new item ids), priced anew by the usual path; the ship-by promise
    /// keeps its length (Standard or Express) from the new order's time.
    /// </summary>
    public ShopOrder Reorder(Customer customer, DateTimeOffset now) =>
        Submit(customer, [.. Items.Select(i => i with { ItemId = Guid.CreateVersion7(now) })], LeadTime, now, ShipTo,
            ShipBy is { } promised ? now + (promised - SubmittedAt) : null);

    /// <summary>
    /// Applies a status from Ordering. Every version it reports goes into the history (a late one fills its gap), but
    /// only a version newer than the one held changes the current status.
    /// </summary>
    /// <returns>false when the event changed nothing (a repeat).</returns>
    public bool Apply(OrderStatusChanged change)
    {
        var history = new List<StatusEntry>(_history);
        var changed = false;
        foreach (var step in change.Steps())
        {
            var alreadyRecorded = history.Any(h => h.Version == step.Version)
                || (step.Status == OrderStatus.Submitted && history.Any(h => h.Status == OrderStatus.Submitted));
            if (!alreadyRecorded)
            {
                history.Add(new StatusEntry(step.Version, step.Status, step.At, step.Reason, step.ReasonParts));
                changed = true;
            }
        }

        if (changed)
        {
            _history = [.. history.OrderBy(h => h.Version)];
        }

        if (change.Version <= Version)
        {
            return changed;
        }

        var previous = Status;
        Version = change.Version;
        Status = change.Status;
        UpdatedAt = change.At;
        if (change.Reason is not null)
        {
            LastReason = change.Reason;
        }

        if (change.Quote is not null)
        {
            Quote = change.Quote;
        }

        if (change.Items.Count > 0)
        {
            Items = change.Items;
        }

        if (change.Shipment is not null)
        {
            Shipment = change.Shipment;
        }

        if (previous != change.Status)
        {
            // A new state answers whatever the last message was about.
            Message = null;
            MessageAt = null;
        }

        ConcurrencyStamp++;
        return true;
    }

    public OrderConfirmationRequested RequestConfirmation(Guid quoteId, string by, DateTimeOffset now)
    {
        if (Status != OrderStatus.Quoted || Quote is not { } quote)
        {
            throw OrderActionErrors.Exception(OrderActionErrors.NotQuoted, Status);
        }

        if (quote.QuoteId != quoteId)
        {
            throw OrderActionErrors.Exception(OrderActionErrors.QuoteChanged, Status);
        }

        if (ConfirmationRequestedFor == quoteId)
        {
            throw OrderActionErrors.Exception(OrderActionErrors.ConfirmationPending, Status);
        }

        ConfirmationRequestedFor = quoteId;
        SetMessage(ConfirmationSentMessage, now);
        return new OrderConfirmationRequested(Id, quoteId, by, now);
    }

    public OrderCancellationRequested RequestCancellation(string by, string reason, DateTimeOffset now)
    {
        if (!CancellableStatuses.Contains(Status))
        {
            throw OrderActionErrors.Exception(OrderActionErrors.NotCancellable, Status);
        }

        if (CancellationRequestedAt is not null)
        {
            throw OrderActionErrors.Exception(OrderActionErrors.CancellationPending, Status);
        }

        CancellationRequestedAt = now;
        SetMessage(CancellationSentMessage, now);
        return new OrderCancellationRequested(Id, by, reason, now);
    }

    /// <summary>Ordering refused a request: show why, and let the customer try again.</summary>
    public void Reject(OrderCommandRejected rejection)
    {
        if (rejection.Command.Contains("confirm", StringComparison.OrdinalIgnoreCase))
        {
            ConfirmationRequestedFor = null;
        }
        else if (rejection.Command.Contains("cancel", StringComparison.OrdinalIgnoreCase))
        {
            CancellationRequestedAt = null;
        }

        SetMessage(rejection.Reason, rejection.At);
    }

    private void SetMessage(string message, DateTimeOffset at)
    {
        Message = message;
        MessageAt = at;
        ConcurrencyStamp++;
    }
}
