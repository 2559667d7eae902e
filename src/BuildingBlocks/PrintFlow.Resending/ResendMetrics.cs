using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Resending;

/// <summary>
/// <c>printflow_orders_resent_total{channel}</c> (re-sent submissions) and <c>printflow_orders_unanswered{channel}</c>
/// (submissions still unanswered after the last re-send: the channel gave up, a person must look), shared by the channels.
/// </summary>
public sealed class ResendMetrics : IMetricsSource
{
    private readonly Counter<long> _resent;
    private readonly ConcurrentDictionary<string, long> _unanswered = new(StringComparer.Ordinal);

    public ResendMetrics(PrintFlowMetrics metrics)
    {
        _resent = metrics.Meter.CreateCounter<long>("printflow.orders.resent", "{order}",
            "Submissions a channel re-sent to Ordering because it never heard back, by channel.");
        metrics.Meter.CreateObservableGauge("printflow.orders.unanswered",
            () => _unanswered.Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("channel", pair.Key))).ToList(),
            "{order}", "Submissions still unanswered after a channel's last re-send, by channel (as of its last sweep).");
    }

    public void Resent(string channel, int count) => _resent.Add(count, new KeyValuePair<string, object?>("channel", channel));

    public void Unanswered(string channel, long count) => _unanswered[channel] = count;
}
