using System.Diagnostics.Metrics;
using System.Globalization;

namespace PrintFlow.ServiceDefaults.Observability;

public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One label set's numbers. Histograms: cumulative bucket counts aligned with the family's bounds.</summary>
public sealed record MetricSeries(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, IReadOnlyList<long>? Buckets = null, double Sum = 0, long Count = 0);

/// <summary>What one Prometheus metric family holds at a scrape.</summary>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<double> Bounds, IReadOnlyList<MetricSeries> Series);

/// <summary>The running aggregation of one instrument, keyed by label set.</summary>
internal sealed class InstrumentState
{
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly bool _cumulative; // an observable counter reports its total, not an increment
    private readonly bool _observableGauge;
    private readonly bool _add;

    private InstrumentState(Instrument instrument, MetricType type, bool add, bool cumulative, bool observableGauge, double[] bounds)
    {
        Type = type;
        Bounds = bounds;
        _add = add;
        _cumulative = cumulative;
        _observableGauge = observableGauge;
        Name = PrometheusNames.MetricName(instrument.Name, instrument.Unit, type == MetricType.Counter);
        Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
    }

    public string Name { get; }
    public string Help { get; }
    public MetricType Type { get; }
    public double[] Bounds { get; }

    public static InstrumentState For(Instrument instrument)
    {
        var kind = instrument.GetType().IsGenericType ? instrument.GetType().GetGenericTypeDefinition() : instrument.GetType();
        if (kind == typeof(Counter<>))
        {
            return new(instrument, MetricType.Counter, add: true, cumulative: false, observableGauge: false, []);
        }

        if (kind == typeof(ObservableCounter<>))
        {
            return new(instrument, MetricType.Counter, add: false, cumulative: true, observableGauge: false, []);
        }

        if (kind == typeof(UpDownCounter<>))
        {
            return new(instrument, MetricType.Gauge, add: true, cumulative: false, observableGauge: false, []);
        }

        if (kind == typeof(Histogram<>))
        {
            return new(instrument, MetricType.Histogram, add: true, cumulative: false, observableGauge: false, BucketsOf(instrument));
        }

        // ObservableGauge, ObservableUpDownCounter, Gauge: the last value stands.
        var observable = instrument.IsObservable;
        return new(instrument, MetricType.Gauge, add: false, cumulative: false, observableGauge: observable, []);
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = PrometheusNames.Labels(tags);
        var key = string.Join('\u0001', labels.Select(l => l.Key + "=" + l.Value));
        lock (_lock)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = new Series(labels, Type == MetricType.Histogram ? new long[Bounds.Length + 1] : null);
                _series[key] = series;
            }

            if (Type == MetricType.Histogram)
            {
                var index = Array.BinarySearch(Bounds, value);
                index = index >= 0 ? index : ~index; // the first bound >= value ("le" is inclusive)
                series.Buckets![index]++;
                series.Sum += value;
                series.Count++;
            }
            else if (_add)
            {
                series.Value += value;
            }
            else
            {
                series.Value = value;
            }

            series.Seen = true;
        }
    }

    /// <summary>Before the observable callbacks run: a gauge exports only what this observation reports.</summary>
    public void BeginObservation()
    {
        if (!_observableGauge)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var series in _series.Values)
            {
                series.Seen = false;
            }
        }
    }

    public MetricFamily Snapshot()
    {
        lock (_lock)
        {
            var series = _series.Values
                .Where(s => s.Seen || _cumulative || !_observableGauge)
                .Select(s => Type == MetricType.Histogram
                    ? new MetricSeries(s.Labels, 0, Cumulate(s.Buckets!), s.Sum, s.Count)
                    : new MetricSeries(s.Labels, s.Value))
                .ToList();
            return new MetricFamily(Name, Help, Type, Bounds, series);
        }
    }

    private static long[] Cumulate(long[] counts)
    {
        var cumulative = new long[counts.Length];
        long total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            total += counts[i];
            cumulative[i] = total;
        }

        return cumulative;
    }

    private static double[] BucketsOf(Instrument instrument)
    {
        IReadOnlyList<double>? advised = instrument switch
        {
            Histogram<double> d => d.Advice?.HistogramBucketBoundaries,
            Histogram<float> f => f.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<long> l => l.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<int> i => i.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
        var bounds = advised?.ToArray() ?? (instrument.Unit == "s" ? SecondsBuckets : DefaultBuckets);
        return [.. bounds.Distinct().Order()];
    }

    private sealed class Series(IReadOnlyList<KeyValuePair<string, string>> labels, long[]? buckets)
    {
        public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;
        public long[]? Buckets { get; } = buckets;
        public double Value { get; set; }
        public double Sum { get; set; }
        public long Count { get; set; }
        public bool Seen { get; set; }
    }
}

internal static class ValueFormat
{
    public static string Of(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
