using System.Diagnostics.Metrics;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// PrintFlow's business metrics (meter "PrintFlow"). Services call these after the change they describe has
/// committed, so a rolled-back or retried handler does not count twice.
/// </summary>
public sealed class PrintFlowMetrics
{
    public const string MeterName = "PrintFlow";

    // Order states last from milliseconds (pricing) to days (shipping).
    private static readonly double[] StateBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400];
    private static readonly double[] FastBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Counter<long> _ordersEntered;
    private readonly Histogram<double> _stateDuration;
    private readonly Histogram<double> _quoteLatency;
    private readonly Histogram<double> _pricingDuration;
    private readonly Histogram<double> _exactSlicerDuration;
    private readonly Counter<long> _factorySteps;

    public PrintFlowMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _ordersEntered = Meter.CreateCounter<long>("printflow.orders.entered", "{order}", "Orders that entered a state (every transition counts once).");
        _stateDuration = Meter.CreateHistogram("printflow.order.state.duration", "s", "Time an order spent in a state, observed when it leaves the state.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StateBuckets });
        _quoteLatency = Meter.CreateHistogram("printflow.quote.latency", "s", "From an order's submission to its quote.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FastBuckets });
        _pricingDuration = Meter.CreateHistogram("printflow.pricing.duration", "s", "Pricing one request (model analysis and price list), by total model size.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FastBuckets });
        _exactSlicerDuration = Meter.CreateHistogram("printflow.pricing.exact_slicer.duration", "s", "Exact-mode slicing of one model with PrusaSlicer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FastBuckets });
        _factorySteps = Meter.CreateCounter<long>("printflow.factory.steps", "{step}", "Manufacturing steps applied to orders, by stage and by the operator who made them (jobs per operator).");
    }

    /// <summary>The meter, for services that add observable instruments of their own.</summary>
    public Meter Meter { get; }

    public void OrderEntered(string state) =>
        _ordersEntered.Add(1, new KeyValuePair<string, object?>("state", state));

    public void OrderLeftState(string state, TimeSpan spent) =>
        _stateDuration.Record(Math.Max(0, spent.TotalSeconds), new KeyValuePair<string, object?>("state", state));

    public void QuoteLatency(TimeSpan latency) => _quoteLatency.Record(Math.Max(0, latency.TotalSeconds));

    public void PricingDuration(long modelBytes, string outcome, TimeSpan elapsed) =>
        _pricingDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("size", SizeBucket(modelBytes)),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void ExactSlicerDuration(string outcome, TimeSpan elapsed) =>
        _exactSlicerDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void FactoryStep(string stage, string byOperator) =>
        _factorySteps.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("operator", byOperator));

    /// <summary>A few fixed size classes keep the label's cardinality small.</summary>
    public static string SizeBucket(long bytes) => bytes switch
    {
        < 1L << 20 => "lt_1MiB",
        < 10L << 20 => "1_10MiB",
        < 100L << 20 => "10_100MiB",
        _ => "ge_100MiB",
    };
}
