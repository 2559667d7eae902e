using PrintFlow.Observability.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>The embedded host's /metrics, scraped by a real Prometheus, shows the business metrics with their values.</summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Tools")]
public sealed class PrometheusScrapeTests : IDisposable
{
    private readonly PrintFlowHost _host = new();

    [Fact]
    public async Task Metrics_WhenTwoOrdersAreQuoted_ARealPrometheusSeesThemCountedInEveryStage()
    {
        var address = _host.StartKestrel();
        using var partner = await Partner.CreateAsync(_host, new HttpClient { BaseAddress = address });
        var first = await partner.OrderAsync(StlFiles.BinaryCube(20), "a.stl");
        var second = await partner.OrderAsync(StlFiles.BinaryCube(30), "b.stl");
        await partner.WaitForStatusAsync(first, "Quoted");
        await partner.WaitForStatusAsync(second, "Quoted");

        using var prometheus = await PrometheusServer.StartAsync(address);

        async Task Expect(string promql, double expected) =>
            await Eventually.UntilAsync(() => prometheus.QueryAsync(promql), value => value == expected,
                $"Prometheus answers {expected} to {promql} (log: {prometheus.Log})", TimeSpan.FromSeconds(60));

        await Expect("up{job=\"printflow\"}", 1);
        await Expect("sum(printflow_orders_entered_total{state=\"Submitted\"})", 2);
        await Expect("sum(printflow_orders_entered_total{state=\"PriceCalculating\"})", 2);
        await Expect("sum(printflow_orders_entered_total{state=\"Quoted\"})", 2);
        await Expect("sum(printflow_orders_in_state{state=\"Quoted\"})", 2);
        await Expect("sum(printflow_orders_stuck)", 0);
        await Expect("sum(printflow_order_state_duration_seconds_count{state=\"PriceCalculating\"})", 2);
        await Expect("sum(printflow_quote_latency_seconds_count)", 2);
        await Expect("sum(printflow_pricing_duration_seconds_count{size=\"lt_1MiB\",outcome=\"quoted\"})", 2);
        await Expect("sum(printflow_messages_handled_total{consumer=\"pricing\",message=\"pricing.price-requested\",outcome=\"applied\"})", 2);
        await Expect("sum(printflow_outbox_backlog{service=\"ordering\"})", 0);
        await Expect("count(printflow_outbox_backlog)", 7); // one per service
        await Expect("sum(http_server_request_duration_seconds_count{http_route=\"/api/partners/v1/orders/\",http_request_method=\"POST\",http_response_status_code=\"202\"})", 2);
        await Expect("count(dotnet_gc_collections_total) > bool 0", 1);
    }

    [Fact]
    public async Task Metrics_OfTheWholeHost_PassPromtoolsLint()
    {
        using var client = _host.CreateClient();
        using var response = await client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var text = await response.Content.ReadAsStringAsync();

        var (exitCode, output) = await Tool.RunAsync("promtool", ["check", "metrics"], Repository.Root, text);

        // The runtime's own gauges dotnet.assembly.count, dotnet.process.cpu.count and dotnet.timer.count keep their
        // OpenTelemetry names (as OpenTelemetry's Prometheus exporter does); the lint's only complaint may be those.
        var problems = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !(line.StartsWith("dotnet_", StringComparison.Ordinal) && line.EndsWith("should not have \"_count\" suffix", StringComparison.Ordinal)))
            .ToList();
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(exitCode == 0 || output.Contains("_count", StringComparison.Ordinal), output);
        Assert.Contains("# TYPE printflow_outbox_backlog gauge", text);
    }

    public void Dispose() => _host.Dispose();
}
