using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using PrintFlow.Contracts;

namespace PrintFlow.Partners.Webhooks;

/// <summary>The event types a partner can subscribe to, and the JSON each delivery carries.</summary>
public static class WebhookEvents
{
    /// <summary>Every status change of the partner's own orders (the payload's <c>status</c> says which).</summary>
    public const string OrderStatusChanged = "order.status_changed";

    public static readonly IReadOnlyList<string> Types = [OrderStatusChanged];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The same id for the same order version and endpoint, however often the status is published or delivered: a
    /// receiver that stores the ids it processed recognises every duplicate.
    /// </summary>
    public static Guid EventId(Guid endpointId, Guid orderId, int version, string eventType)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{endpointId:N}/{orderId:N}/{version}/{eventType}"), hash);
        hash[6] = (byte)((hash[6] & 0x0f) | 0x80); // RFC 9562 version 8 (custom), variant 10
        hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    public static string StatusChangedPayload(
        Guid eventId, OrderStatusChanged change, StatusStep step, string orderNumber, string? reference)
    {
        var quote = change.Quote is { } q
            ? new WebhookQuote(q.QuoteId, q.Amount, q.Currency, q.Mode, q.ValidUntil)
            : null;
        // Tracking belongs to the steps from Shipped on.
        var shipment = change.Shipment is { } s && step.Status is OrderStatus.Shipped or OrderStatus.Delivered
            ? new WebhookShipment(s.Carrier, s.TrackingNumber, s.TrackingUrl, s.ShippedAt)
            : null;
        var payload = new WebhookPayload(
            eventId, OrderStatusChanged, step.At,
            new WebhookOrderData(change.OrderId, orderNumber, reference, step.Status.ToString(), step.Previous?.ToString(),
                step.Version, step.Reason, quote, shipment));
        return JsonSerializer.Serialize(payload, Json);
    }
}

public sealed record WebhookPayload(Guid Id, string Type, DateTimeOffset OccurredAt, WebhookOrderData Data);

public sealed record WebhookOrderData(
    Guid OrderId,
    string OrderNumber,
    string? Reference,
    string Status,
    string? PreviousStatus,
    int Version,
    string? Reason,
    WebhookQuote? Quote,
    WebhookShipment? Shipment);

public sealed record WebhookQuote(Guid QuoteId, decimal Amount, string Currency, string Mode, DateTimeOffset ValidUntil);

public sealed record WebhookShipment(string Carrier, string TrackingNumber, string? TrackingUrl, DateTimeOffset ShippedAt);
