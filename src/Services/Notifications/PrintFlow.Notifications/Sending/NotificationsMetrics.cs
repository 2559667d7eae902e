using System.Diagnostics.Metrics;
using PrintFlow.Notifications.Domain;

namespace PrintFlow.Notifications.Sending;

/// <summary>printflow_notifications_*: emails sent, failed attempts, parked emails, and the time from event to sent.</summary>
public sealed class NotificationsMetrics
{
    // From a second (a local relay) to hours (a mail server down overnight).
    private static readonly double[] LatencyBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 86400];

    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _parked;
    private readonly Histogram<double> _latency;

    public NotificationsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PrintFlow.ServiceDefaults.Observability.PrintFlowMetrics.MeterName);
        _sent = meter.CreateCounter<long>("printflow.notifications.sent", "{email}", "Emails handed to the mail server (or written to the pickup folder).");
        _failed = meter.CreateCounter<long>("printflow.notifications.failed", "{attempt}", "Attempts to send an email that failed and will be retried, by reason.");
        _parked = meter.CreateCounter<long>("printflow.notifications.parked", "{email}", "Emails given up on after Notifications:MaxAttempts attempts.");
        _latency = meter.CreateHistogram("printflow.notifications.send_latency", "s", "From the event an email tells of to the email being sent.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
    }

    public void Sent(MessageKind kind, TimeSpan latency)
    {
        var tag = new KeyValuePair<string, object?>("kind", MessageKinds.Label(kind));
        _sent.Add(1, tag);
        _latency.Record(Math.Max(0, latency.TotalSeconds), tag);
    }

    public void Failed(MessageKind kind, string reason) =>
        _failed.Add(1, new KeyValuePair<string, object?>("kind", MessageKinds.Label(kind)), new KeyValuePair<string, object?>("reason", reason));

    public void Parked(MessageKind kind, string reason) =>
        _parked.Add(1, new KeyValuePair<string, object?>("kind", MessageKinds.Label(kind)), new KeyValuePair<string, object?>("reason", reason));
}
