using System.Diagnostics.Metrics;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// <c>printflow_webhook_deliveries_total{outcome}</c> (attempts: delivered, failed, refused, parked),
/// <c>printflow_webhook_deliveries_duration_seconds{outcome}</c> (one attempt), and the backlog gauges
/// <c>printflow_webhook_deliveries_failing</c> (pending after at least one failed attempt) and
/// <c>printflow_webhook_deliveries_parked</c> (given up), as of the dispatcher's last count.
/// </summary>
public sealed class WebhookMetrics : IMetricsSource
{
    private static readonly double[] Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _duration;
    private long _failing;
    private long _parked;

    public WebhookMetrics(PrintFlowMetrics metrics)
    {
        _deliveries = metrics.Meter.CreateCounter<long>("printflow.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts by outcome: delivered (2xx), failed (will be retried), refused (address not allowed), parked (retries given up).");
        _duration = metrics.Meter.CreateHistogram("printflow.webhook.deliveries.duration", "s", "One webhook delivery attempt, connect to response, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        metrics.Meter.CreateObservableGauge("printflow.webhook.deliveries.failing", () => Interlocked.Read(ref _failing), "{delivery}",
            "Webhook deliveries still being retried after at least one failed attempt.");
        metrics.Meter.CreateObservableGauge("printflow.webhook.deliveries.parked", () => Interlocked.Read(ref _parked), "{delivery}",
            "Webhook deliveries whose retries ran out; a partner's redelivery request revives one.");
    }

    public void Attempted(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _deliveries.Add(1, tag);
        _duration.Record(elapsed.TotalSeconds, tag);
    }

    public void Backlog(long failing, long parked)
    {
        Interlocked.Exchange(ref _failing, failing);
        Interlocked.Exchange(ref _parked, parked);
    }
}
