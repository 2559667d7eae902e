namespace PrintFlow.Contracts;

/// <summary>Ordering hands a confirmed order to the factory.</summary>
[MessageName("manufacturing.requested")]
public sealed record ManufacturingRequested(
    Guid OrderId,
    CustomerRef Customer,
    IReadOnlyList<OrderItem> Items,
    LeadTime LeadTime,
    DateTimeOffset? DueDate,
    QuoteSummary Quote,
    DateTimeOffset RequestedAt,
    ShippingAddress? ShipTo = null) : IIntegrationEvent;

/// <summary>
/// A manufacturing job moved to <paramref name="Stage"/> (ManufacturingApproved when MES accepted it, then
/// Printing … Delivered). <paramref name="Sequence"/> counts the job's steps from 1 so Ordering applies
/// them in order whatever order they arrive in.
/// </summary>
/// <param name="Shipment">Set on the Shipped step: the carrier and tracking number the operator entered.</param>
[MessageName("manufacturing.progressed")]
public sealed record ManufacturingProgressed(
    Guid OrderId,
    Guid JobId,
    int Sequence,
    OrderStatus Stage,
    string By,
    string? Reason,
    DateTimeOffset At,
    Shipment? Shipment = null) : IIntegrationEvent;

/// <summary>Ordering withdraws an order from MES (cancelled before printing).</summary>
[MessageName("manufacturing.cancelled")]
public sealed record ManufacturingCancelled(Guid OrderId, string Reason, DateTimeOffset At) : IIntegrationEvent;

/// <summary>
/// MES cannot print a job on any of its printers (a part larger than every build volume, or a material no printer
/// runs): the order waits for a person to decide, with <paramref name="Reason"/> saying why.
/// </summary>
[MessageName("manufacturing.unschedulable")]
public sealed record ManufacturingUnschedulable(Guid OrderId, Guid JobId, string Reason, DateTimeOffset At) : IIntegrationEvent;
