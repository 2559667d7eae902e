using System.Globalization;
using PrintFlow.Contracts;
using PrintFlow.Resending;

namespace PrintFlow.Partners.Domain;

/// <summary>
/// A partner's order as the partner sees it: created here when submitted, then following the statuses Ordering
/// publishes. Ordering owns the lifecycle; this view only decides what a partner may ask for next.
/// </summary>
public sealed class PartnerOrder : IResendableSubmission
{
    private static readonly OrderStatus[] CancellableStatuses =
    [
        OrderStatus.Submitted, OrderStatus.PriceCalculating, OrderStatus.Quoted, OrderStatus.Confirmed,
        OrderStatus.ManufacturingApproved,
    ];

#pragma warning disable IDE0044 // not readonly: EF sets it when it reads an order (JsonColumn)
    private List<OrderStatusEntry> _history = [];
#pragma warning restore IDE0044

    private PartnerOrder()
    {
    }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public string OrderNumber { get; private set; } = "";
    public string? Reference { get; private set; }
    public OrderStatus Status { get; private set; }

    /// <summary>The version of the last status Ordering reported; 0 until the first one arrives.</summary>
    public int Version { get; private set; }

    public LeadTime LeadTime { get; private set; }
    public DateTimeOffset? DueDate { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>Creation time then id, as one sortable string: the keyset for "newest first" pages.</summary>
    public string SortKey { get; private set; } = "";

    public IReadOnlyList<OrderItemView> Items { get; private set; } = [];
    public QuoteView? Quote { get; private set; }
    public OrderMessage? Message { get; private set; }

    /// <summary>Where the parcel goes: the request's address, else the partner's default; null when neither was given.</summary>
    public ShippingAddress? ShipTo { get; private set; }

    /// <summary>The carrier and tracking number, from Shipped on.</summary>
    public Shipment? Shipment { get; private set; }

    public IReadOnlyList<OrderStatusEntry> History => _history.AsReadOnly();

    /// <summary>The quote a confirmation was already sent for, so a repeated confirm does not send it again.</summary>
    public Guid? ConfirmationRequestedFor { get; private set; }

    public DateTimeOffset? CancellationRequestedAt { get; private set; }

    /// <summary>How often the submission was re-sent because Ordering never answered it.</summary>
    public int Resends { get; private set; }

    public DateTimeOffset? LastSentAt { get; private set; }

    public static PartnerOrder Submit(
        Guid id, Guid partnerId, string? reference, IReadOnlyList<OrderItem> items, LeadTime leadTime, DateTimeOffset? dueDate, DateTimeOffset now,
        ShippingAddress? shipTo = null)
    {
        if (items.Count == 0)
        {
            throw new ArgumentException("An order needs at least one model.", nameof(items));
        }

        return new PartnerOrder
        {
            Id = id,
            PartnerId = partnerId,
            OrderNumber = Contracts.OrderNumber.From(id),
            Reference = reference,
            Status = OrderStatus.Submitted,
            LeadTime = leadTime,
            DueDate = dueDate,
            CreatedAt = now,
            UpdatedAt = now,
            LastSentAt = now,
            SortKey = SortKeyOf(now, id),
            Items = [.. items.Select(OrderItemView.From)],
            ShipTo = shipTo,
        };
    }

    public void RecordResend(DateTimeOffset now)
    {
        Resends++;
        LastSentAt = now;
    }

    /// <summary>The submission as first sent: the partner's details, its items, lead time and due date.</summary>
    public OrderSubmitted ToSubmitted(Partner partner) =>
        new(Id, partner.ToCustomer(), [.. Items.Select(i => i.ToContract())], LeadTime, DueDate, partner.AutoConfirmBelow, CreatedAt, ShipTo);

    public static string SortKeyOf(DateTimeOffset createdAt, Guid id) =>
        createdAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + id.ToString("N");

    /// <summary>
    /// Records a status Ordering published, every transition it reports into the history. Returns false when it is
    /// not newer than what the view holds.
    /// </summary>
    public bool Apply(OrderStatusChanged change)
    {
        foreach (var step in change.Steps())
        {
            if (_history.All(h => h.Version != step.Version))
            {
                _history.Add(new OrderStatusEntry { Version = step.Version, Status = step.Status, At = step.At, Reason = step.Reason, ReasonParts = step.ReasonParts });
            }
        }

        if (change.Version <= Version)
        {
            return false;
        }

        Version = change.Version;
        Status = change.Status;
        UpdatedAt = change.At;
        // Every later event carries the quote again: only a new one replaces it (and rewrites its column).
        if (change.Quote is not null && Quote?.QuoteId != change.Quote.QuoteId)
        {
            Quote = QuoteView.From(change.Quote);
        }

        if (change.Shipment is not null && change.Shipment != Shipment)
        {
            Shipment = change.Shipment;
        }

        return true;
    }

    public void RecordRejection(OrderCommandRejected rejection)
    {
        Message = new OrderMessage { Command = rejection.Command, Code = rejection.Code, Reason = rejection.Reason, At = rejection.At };
        // The refused request may be asked again (for example after a new quote), so it must be sent again then.
        var command = rejection.Command.ToLowerInvariant();
        if (command != "cancel")
        {
            ConfirmationRequestedFor = null;
        }

        if (command != "confirm")
        {
            CancellationRequestedAt = null;
        }
    }

    /// <summary>Accepts the current quote. Returns false when a confirmation for it was already sent.</summary>
    public bool RequestConfirmation(DateTimeOffset now, out Guid quoteId)
    {
        if (Status != OrderStatus.Quoted || Quote is null)
        {
            throw new PartnerOrderException("order.not-quoted",
                PartnersStrings.Get("Problem.order.not-quoted", OrderNumber, Status));
        }

        if (Quote.ValidUntil < now)
        {
            throw new PartnerOrderException("order.quote-expired",
                PartnersStrings.Get("Problem.order.quote-expired", OrderNumber, Quote.ValidUntil));
        }

        quoteId = Quote.QuoteId;
        if (ConfirmationRequestedFor == quoteId)
        {
            return false;
        }

        ConfirmationRequestedFor = quoteId;
        return true;
    }

    /// <summary>Asks to cancel. Returns false when a cancellation was already sent.</summary>
    public bool RequestCancellation(DateTimeOffset now)
    {
        if (!CancellableStatuses.Contains(Status))
        {
            throw new PartnerOrderException("order.not-cancellable",
                PartnersStrings.Get("Problem.order.not-cancellable", OrderNumber, Status));
        }

        if (CancellationRequestedAt is not null)
        {
            return false;
        }

        CancellationRequestedAt = now;
        return true;
    }
}
