using System.Diagnostics.Metrics;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Observability.Tests;

/// <summary>The Prometheus text exposition written from System.Diagnostics.Metrics instruments.</summary>
public sealed class ExpositionFormatTests : IDisposable
{
    private readonly Meter _meter = new("PrintFlow.Tests." + Guid.NewGuid().ToString("N"));
    private readonly MetricsCollector _collector;

    public ExpositionFormatTests() => _collector = new MetricsCollector(meter => meter == _meter);

    [Fact]
    public void Write_WhenEveryKindOfInstrumentRecorded_MatchesTheGoldenText()
    {
        var orders = _meter.CreateCounter<long>("printflow.test.orders", "{order}", "Orders that entered a state.");
        orders.Add(2, new KeyValuePair<string, object?>("state", "Quoted"));
        orders.Add(1, new KeyValuePair<string, object?>("state", "Quoted"));
        orders.Add(1, new KeyValuePair<string, object?>("state", "Confirmed"));
        var duration = _meter.CreateHistogram("printflow.test.duration", "s", "Time in a state.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1] });
        duration.Record(0.25);
        duration.Record(0.5); // "le" is inclusive
        duration.Record(4);
        var inFlight = _meter.CreateUpDownCounter<int>("printflow.test.in_flight", "{request}", "Requests in flight.");
        inFlight.Add(3);
        inFlight.Add(-1);
        _meter.CreateObservableGauge("printflow.test.stuck", () => new Measurement<long>(7, new KeyValuePair<string, object?>("state", "Printing")), "{order}", "Stuck orders.");

        var text = PrometheusTextFormat.Write(_collector.Collect());

        Assert.Equal(
            """
            # HELP printflow_test_duration_seconds Time in a state.
            # TYPE printflow_test_duration_seconds histogram
            printflow_test_duration_seconds_bucket{le="0.5"} 2
            printflow_test_duration_seconds_bucket{le="1"} 2
            printflow_test_duration_seconds_bucket{le="+Inf"} 3
            printflow_test_duration_seconds_sum 4.75
            printflow_test_duration_seconds_count 3
            # HELP printflow_test_in_flight Requests in flight.
            # TYPE printflow_test_in_flight gauge
            printflow_test_in_flight 2
            # HELP printflow_test_orders_total Orders that entered a state.
            # TYPE printflow_test_orders_total counter
            printflow_test_orders_total{state="Quoted"} 3
            printflow_test_orders_total{state="Confirmed"} 1
            # HELP printflow_test_stuck Stuck orders.
            # TYPE printflow_test_stuck gauge
            printflow_test_stuck{state="Printing"} 7

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
    }

    [Fact]
    public void Write_WhenLabelsAndHelpHoldSpecialCharacters_EscapesThemSoTheyReadBack()
    {
        var odd = "a \"quoted\" back\\slash\nnew line é";
        var counter = _meter.CreateCounter<double>("printflow.test.odd", null, "Help with a back\\slash\nand a new line.");
        counter.Add(1.5, new KeyValuePair<string, object?>("model.file", odd), new KeyValuePair<string, object?>("http.response.status_code", 503));

        var text = PrometheusTextFormat.Write(_collector.Collect());

        Assert.Contains("# HELP printflow_test_odd_total Help with a back\\\\slash\\nand a new line.\n", text);
        var sample = Assert.Single(PrometheusText.Parse(text));
        Assert.Equal("printflow_test_odd_total", sample.Name);
        Assert.Equal(odd, sample.Labels["model_file"]);
        Assert.Equal("503", sample.Labels["http_response_status_code"]);
        Assert.Equal(1.5, sample.Value);
    }

    [Fact]
    public void Collect_WhenAnObservableGaugeStopsReportingALabelSet_DropsThatSeries()
    {
        var states = new List<string> { "Printing", "Packed" };
        _meter.CreateObservableGauge("printflow.test.queue", () => states.Select(s => new Measurement<int>(1, new KeyValuePair<string, object?>("state", s))).ToList());
        Assert.Equal(2, PrometheusText.Parse(PrometheusTextFormat.Write(_collector.Collect())).Count);

        states.Remove("Packed");

        var sample = Assert.Single(PrometheusText.Parse(PrometheusTextFormat.Write(_collector.Collect())));
        Assert.Equal("Printing", sample.Labels["state"]);
    }

    [Theory]
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("dotnet.gc.collections", "{collection}", true, "dotnet_gc_collections_total")]
    [InlineData("dotnet.process.cpu.time", "s", true, "dotnet_process_cpu_time_seconds_total")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", true, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("printflow.orders.entered", "{order}", true, "printflow_orders_entered_total")]
    [InlineData("printflow.outbox.oldest.age", "s", false, "printflow_outbox_oldest_age_seconds")]
    [InlineData("kestrel.active-connections", "{connection}", false, "kestrel_active_connections")]
    [InlineData("9lives", null, false, "_9lives")]
    public void MetricName_MapsOpenTelemetryNamesAndUnitsToPrometheus(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNames.MetricName(instrument, unit, counter));

    [Trait("Category", "Tools")]
    [Fact]
    public async Task Write_IsAcceptedByPromtoolCheckMetrics()
    {
        _meter.CreateCounter<long>("printflow.test.orders", "{order}", "Orders.").Add(1, new KeyValuePair<string, object?>("state", "Quoted"));
        _meter.CreateHistogram<double>("printflow.test.duration", "s", "Durations.").Record(0.3);

        var (exitCode, output) = await Tool.RunAsync("promtool", ["check", "metrics"], Repository.Root, PrometheusTextFormat.Write(_collector.Collect()));

        Assert.True(exitCode == 0, output);
    }

    public void Dispose()
    {
        _collector.Dispose();
        _meter.Dispose();
    }
}
