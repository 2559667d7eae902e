using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.Messaging;

public static class MessagingTelemetry
{
    public const string SourceName = "PrintFlow.Messaging";
    public const string MeterName = "PrintFlow.Messaging";
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a span whose parent is the W3C <c>traceparent</c> a message carries. The parent is marked remote: the
    /// message crossed the outbox (and, with a broker, the network), and samplers keep the trace id across such a
    /// hop even when nothing is recorded, so logs on both sides share it.
    /// </summary>
    public static Activity? StartActivity(string name, ActivityKind kind, string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);

    /// <summary>
    /// The span of one message hop, "publish" (the relay, a producer) or "process" (an endpoint, a consumer), with the
    /// OpenTelemetry <c>messaging.*</c> attributes both sides carry.
    /// </summary>
    public static Activity? StartMessageActivity(string operation, MessageEnvelope envelope)
    {
        var kind = operation == "publish" ? ActivityKind.Producer : ActivityKind.Consumer;
        var activity = StartActivity($"{envelope.Name} {operation}", kind, envelope.TraceParent);
        activity?.SetTag("messaging.system", "printflow");
        activity?.SetTag("messaging.operation.type", operation);
        activity?.SetTag("messaging.operation.name", operation);
        activity?.SetTag("messaging.message.conversation_id", envelope.CorrelationId.ToString());
        activity?.SetTag("messaging.destination.name", envelope.Name);
        activity?.SetTag("messaging.message.id", envelope.MessageId.ToString());
        activity?.SetTag("printflow.order_id", envelope.CorrelationId.ToString());
        return activity;
    }
}

/// <summary>
/// The messaging metrics: messages published, handled (by consumer and outcome, with duration), failed deliveries,
/// dead letters, delivery lag, and per service the outbox backlog, its oldest undispatched age and its dead letters.
/// </summary>
public sealed class MessagingMetrics
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly Counter<long> _published;
    private readonly Counter<long> _deliveryFailures;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _handled;
    private readonly Histogram<double> _handlingDuration;
    private readonly Histogram<double> _deliveryLag;
    private readonly Counter<long> _batches;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _pruned;
    private readonly Counter<long> _pruneFailures;

    public MessagingMetrics(IServiceProvider services)
    {
        var meter = services.GetService<IMeterFactory>()?.Create(MessagingTelemetry.MeterName) ?? new Meter(MessagingTelemetry.MeterName);
        _published = meter.CreateCounter<long>("printflow.messages.published", "{message}", "Outbox messages delivered to the transport, by service and message.");
        _deliveryFailures = meter.CreateCounter<long>("printflow.messages.delivery_failures", "{message}", "Failed deliveries of outbox messages (each is retried with back-off).");
        _deadLettered = meter.CreateCounter<long>("printflow.messages.dead_lettered", "{message}", "Outbox messages dead-lettered after their last attempt.");
        _handled = meter.CreateCounter<long>("printflow.messages.handled", "{message}", "Messages handled by a consumer, by outcome (applied, duplicate, failed).");
        _handlingDuration = meter.CreateHistogram("printflow.message.handling.duration", "s", "Handling one message: handler, inbox check and commit.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        _batches = meter.CreateCounter<long>("printflow.messages.batches", "{batch}",
            "Groups of messages a consumer applied in one transaction (committed), tried again after a conflict (retried), or applied one at a time instead (split).");
        _batchSize = meter.CreateHistogram("printflow.messages.batch.size", "{message}", "Messages in each group a consumer applied in one transaction.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [2, 4, 8, 16, 32, 64] });
        _pruned = meter.CreateCounter<long>("printflow.messages.pruned", "{row}",
            "Outbox rows (dispatched) and inbox rows deleted after their retention, by service and table.");
        _pruneFailures = meter.CreateCounter<long>("printflow.messages.prune_failures", "{run}",
            "Runs of the retention job that failed (tried again an interval later), by service.");
        _deliveryLag = meter.CreateHistogram("printflow.message.delivery.lag", "s", "From writing a message to the outbox to its delivery (consumer lag).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });

        meter.CreateObservableGauge("printflow.outbox.backlog", () => Observe(services, s => s.Backlog), "{message}",
            "Outbox messages not yet dispatched (dead letters excluded), per service.");
        meter.CreateObservableGauge("printflow.outbox.oldest.age", () => Observe(services, s => s.OldestAgeSeconds), "s",
            "Age of the oldest undispatched outbox message, per service (0 when none).");
        meter.CreateObservableGauge("printflow.outbox.dead_letters", () => Observe(services, s => s.DeadLetters), "{message}",
            "Dead-lettered outbox messages kept for inspection, per service.");
    }

    public void Published(string service, string message, TimeSpan lag)
    {
        _published.Add(1, Tag("service", service), Tag("message", message));
        _deliveryLag.Record(Math.Max(0, lag.TotalSeconds), Tag("service", service));
    }

    public void DeliveryFailed(string service, string message, bool deadLettered)
    {
        _deliveryFailures.Add(1, Tag("service", service), Tag("message", message));
        if (deadLettered)
        {
            _deadLettered.Add(1, Tag("service", service), Tag("message", message));
        }
    }

    public void Handled(string consumer, string message, string outcome, TimeSpan elapsed)
    {
        _handled.Add(1, Tag("consumer", consumer), Tag("message", message), Tag("outcome", outcome));
        _handlingDuration.Record(elapsed.TotalSeconds, Tag("consumer", consumer), Tag("message", message), Tag("outcome", outcome));
    }

    public void Batch(string consumer, int size, string outcome)
    {
        _batches.Add(1, Tag("consumer", consumer), Tag("outcome", outcome));
        if (outcome == "committed")
        {
            _batchSize.Record(size, Tag("consumer", consumer));
        }
    }

    public void Pruned(string service, long outbox, long inbox)
    {
        _pruned.Add(outbox, Tag("service", service), Tag("table", "outbox"));
        _pruned.Add(inbox, Tag("service", service), Tag("table", "inbox"));
    }

    public void PruneFailed(string service) => _pruneFailures.Add(1, Tag("service", service));

    private static IEnumerable<Measurement<double>> Observe(IServiceProvider services, Func<OutboxStatus, double> value) =>
        services.GetServices<IOutboxMonitor>()
            .Select(monitor => (monitor.Service, Status: monitor.Current()))
            .Where(s => s.Status is not null)
            .Select(s => new Measurement<double>(value(s.Status!), Tag("service", s.Service)));

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);
}

public sealed record OutboxStatus(long Backlog, double OldestAgeSeconds, long DeadLetters);

/// <summary>A service's outbox as metrics see it.</summary>
public interface IOutboxMonitor
{
    string Service { get; }

    /// <summary>The latest status, refreshed at most every few seconds; null while the database is not ready.</summary>
    OutboxStatus? Current();
}

/// <summary>Counts a service's outbox with two indexed queries, cached so scrapes cost the database little.</summary>
public sealed class OutboxMonitor<TDbContext>(string service, IServiceScopeFactory scopes, TimeProvider clock) : IOutboxMonitor
    where TDbContext : ServiceDbContext
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);
    private readonly Lock _lock = new();
    private (DateTimeOffset At, OutboxStatus Status)? _cached;

    public string Service => service;

    public OutboxStatus? Current()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            if (_cached is { } cached && now - cached.At < CacheFor)
            {
                return cached.Status;
            }

            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                var pending = db.Outbox.AsNoTracking().Where(m => m.DispatchedAt == null && m.DeadLetteredAt == null);
                var backlog = pending.LongCount();
                var oldest = backlog == 0 ? (DateTimeOffset?)null : pending.OrderBy(m => m.Id).Select(m => m.CreatedAt).FirstOrDefault();
                var dead = db.Outbox.AsNoTracking().LongCount(m => m.DeadLetteredAt != null);
                var status = new OutboxStatus(backlog, oldest is { } o ? Math.Max(0, (now - o).TotalSeconds) : 0, dead);
                _cached = (now, status);
                return status;
            }
            catch (Exception exception) when (exception is InvalidOperationException or DbUpdateException or System.Data.Common.DbException)
            {
                return _cached?.Status; // schema not created yet, or the database is down: report what was last seen
            }
        }
    }
}
