using PrintFlow.Messaging;

namespace PrintFlow.Partners.Webhooks;

public enum DeliveryStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Pending,

    /// <summary>The endpoint answered 2xx.</summary>
    Delivered,

    /// <summary>Retried for <see cref="WebhookOptions.RetryFor"/> without success and parked; a redelivery request revives it.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint: the body is fixed when the event is staged (same transaction as the inbox row of the
/// message that caused it), so every attempt and every redelivery sends the same bytes under the same event id.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    public Guid Id { get; private set; }
    public Guid EndpointId { get; private set; }
    public Guid PartnerId { get; private set; }
    public Guid EventId { get; private set; }
    public string EventType { get; private set; } = "";
    public Guid OrderId { get; private set; }
    public int Version { get; private set; }
    public string Payload { get; private set; } = "";
    public DeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the next attempt is due; while an attempt runs, when its claim lapses (an instance that died mid-way).</summary>
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>When retries started counting towards <see cref="WebhookOptions.RetryFor"/> (creation, or the last redelivery request).</summary>
    public DateTimeOffset RetryingSince { get; private set; }

    public DateTimeOffset? LastAttemptAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public string? LastError { get; private set; }
    public string? ResponsePrefix { get; private set; }

    public static WebhookDelivery Stage(WebhookEndpoint endpoint, Guid eventId, string eventType, Guid orderId, int version, string payload, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EndpointId = endpoint.Id,
        PartnerId = endpoint.PartnerId,
        EventId = eventId,
        EventType = eventType,
        OrderId = orderId,
        Version = version,
        Payload = payload,
        Status = DeliveryStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
        RetryingSince = now,
    };

    public const int MaxErrorLength = 500;

    /// <summary>The endpoint answered 2xx.</summary>
    public void Succeeded(DateTimeOffset now, int statusCode, string? responsePrefix)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        ResponsePrefix = responsePrefix;
        LastError = null;
        Status = DeliveryStatus.Delivered;
        DeliveredAt = now;
    }

    /// <summary>
    /// An attempt failed: the next one waits <see cref="RetryDelay"/>; past <see cref="WebhookOptions.RetryFor"/> since
    /// <see cref="RetryingSince"/> the delivery is parked as <see cref="DeliveryStatus.Failed"/>. Returns true when parked.
    /// </summary>
    public bool Failed(DateTimeOffset now, int? statusCode, string error, string? responsePrefix, WebhookOptions options)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        ResponsePrefix = responsePrefix;
        LastError = error.Length > MaxErrorLength ? error[..MaxErrorLength] : error;
        if (now - RetryingSince >= options.RetryFor)
        {
            Status = DeliveryStatus.Failed;
            return true;
        }

        NextAttemptAt = now + RetryDelay(Attempts, options);
        return false;
    }

    /// <summary>A partner's redelivery request: due now, with a fresh retry period; the event id and body stay the same.</summary>
    public void Redeliver(DateTimeOffset now)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        RetryingSince = now;
    }

    /// <summary>Exponential back-off: base × 2^(attempts−1), capped, with up to 10% jitter so retries of many deliveries spread out.</summary>
    public static TimeSpan RetryDelay(int attempts, WebhookOptions options) =>
        RetryBackoff.After(attempts, options.RetryBaseDelay, options.MaxRetryDelay) * (1 + Random.Shared.NextDouble() * 0.1);
}
