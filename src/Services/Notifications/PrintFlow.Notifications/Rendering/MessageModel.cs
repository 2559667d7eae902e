using PrintFlow.Contracts;

namespace PrintFlow.Notifications.Rendering;

/// <summary>What an email is rendered from: everything comes with the event (no other service's data is read).</summary>
public sealed record MessageModel(
    Guid OrderId,
    CustomerRef Customer,
    DateTimeOffset At,
    QuoteSummary? Quote,
    Shipment? Shipment,
    string? Reason,
    OrderStatus Status,
    IReadOnlyList<RejectionPart>? ReasonParts = null);
