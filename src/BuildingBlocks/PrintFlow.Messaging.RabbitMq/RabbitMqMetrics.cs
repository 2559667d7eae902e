using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>
/// Broker-side messaging metrics: publishes by outcome, retries, dead letters and the depth of every consumer and
/// dead-letter queue (refreshed by the consumer service).
/// </summary>
public sealed class RabbitMqMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _deadLettered;
    private readonly ConcurrentDictionary<(string Queue, string Kind), long> _depths = new();

    public RabbitMqMetrics(IServiceProvider services)
    {
        var meter = services.GetService<IMeterFactory>()?.Create(MessagingTelemetry.MeterName) ?? new Meter(MessagingTelemetry.MeterName);
        _published = meter.CreateCounter<long>("printflow.rabbitmq.published", "{message}",
            "Messages published to RabbitMQ, by outcome (confirmed by the broker, or failed and left in the outbox).");
        _retried = meter.CreateCounter<long>("printflow.rabbitmq.retried", "{message}",
            "Failed deliveries sent to a delay queue to be retried, by queue.");
        _deadLettered = meter.CreateCounter<long>("printflow.rabbitmq.dead_lettered", "{message}",
            "Messages moved to a dead-letter queue after their last attempt, by queue.");
        meter.CreateObservableGauge("printflow.rabbitmq.queue.depth",
            () => _depths.Select(pair => new Measurement<long>(pair.Value, Tag("queue", pair.Key.Queue), Tag("kind", pair.Key.Kind))),
            "{message}", "Ready messages in each consumer queue (kind=main) and dead-letter queue (kind=dlq).");
    }

    public void Published(string message, string outcome) => _published.Add(1, Tag("message", message), Tag("outcome", outcome));

    public void Retried(string queue) => _retried.Add(1, Tag("queue", queue));

    public void DeadLettered(string queue) => _deadLettered.Add(1, Tag("queue", queue));

    public void Depth(string queue, string kind, long messages) => _depths[(queue, kind)] = messages;

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}
