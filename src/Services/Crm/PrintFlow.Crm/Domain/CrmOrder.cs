using PrintFlow.Contracts;

namespace PrintFlow.Crm.Domain;

/// <summary>One order of a CRM customer: its latest status (by version) and whether its quote counts as revenue.</summary>
public sealed class CrmOrder
{
    /// <summary>States that prove the customer confirmed the quote.</summary>
    private static readonly HashSet<OrderStatus> Confirmed =
    [
        OrderStatus.Confirmed, OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing,
        OrderStatus.QualityCheck, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered,
    ];

    private CrmOrder()
    {
    }

    public Guid OrderId { get; private set; }
    public SalesChannel Channel { get; private set; }
    public string CustomerId { get; private set; } = "";
    public OrderStatus Status { get; private set; }
    public int Version { get; private set; }
    public int ItemCount { get; private set; }
    public decimal? Amount { get; private set; }
    public string? Currency { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }

    /// <summary>False while <see cref="SubmittedAt"/> is only estimated from a status that overtook the submission.</summary>
    public bool SubmissionSeen { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }
    public bool RevenueCounted { get; private set; }

    /// <summary>The carrier's code and tracking number, once the order has shipped.</summary>
    public string? Carrier { get; private set; }

    public string? TrackingNumber { get; private set; }
    public string? TrackingUrl { get; private set; }

    public string Number => OrderNumber.From(OrderId);

    public static CrmOrder Open(Guid orderId, CustomerRef customer, DateTimeOffset submittedAt, int itemCount, bool submissionSeen) => new()
    {
        OrderId = orderId,
        Channel = customer.Channel,
        CustomerId = customer.CustomerId,
        Status = OrderStatus.Submitted,
        ItemCount = itemCount,
        SubmittedAt = submittedAt,
        SubmissionSeen = submissionSeen,
        UpdatedAt = submittedAt,
    };

    /// <returns>true when the submission corrected the estimated submission time.</returns>
    public bool RecordSubmission(DateTimeOffset submittedAt, int itemCount)
    {
        if (SubmissionSeen)
        {
            return false;
        }

        SubmissionSeen = true;
        ItemCount = itemCount;
        var moved = SubmittedAt != submittedAt;
        SubmittedAt = submittedAt;
        return moved;
    }

    /// <summary>
    /// Applies a status. Only a newer version changes the shown status, but any version that proves the quote was
    /// confirmed makes it revenue, once, whatever order the events arrive in.
    /// </summary>
    /// <returns>The amount that became revenue with this event, if any.</returns>
    public QuoteSummary? Apply(OrderStatusChanged change)
    {
        QuoteSummary? newRevenue = null;
        var provesConfirmation = Confirmed.Contains(change.Status) || change.Previous is { } previous && Confirmed.Contains(previous);
        if (!RevenueCounted && provesConfirmation && change.Quote is { } quote)
        {
            RevenueCounted = true;
            Amount = quote.Amount;
            Currency = quote.Currency;
            newRevenue = quote;
        }

        if (change.Shipment is { } shipment)
        {
            Carrier = shipment.Carrier;
            TrackingNumber = shipment.TrackingNumber;
            TrackingUrl = shipment.TrackingUrl;
        }

        if (change.Version > Version)
        {
            Version = change.Version;
            Status = change.Status;
            UpdatedAt = change.At;
            if (change.Quote is { } latest && !RevenueCounted)
            {
                Amount = latest.Amount;
                Currency = latest.Currency;
            }

            if (change.Items.Count > 0)
            {
                ItemCount = change.Items.Count;
            }
        }

        return newRevenue;
    }
}
