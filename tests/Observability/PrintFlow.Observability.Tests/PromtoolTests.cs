using PrintFlow.Observability.Tests.Support;

namespace PrintFlow.Observability.Tests;

/// <summary>The deploy/observability rules and configs, checked and unit-tested by Prometheus's own promtool.</summary>
[Trait("Category", "Tools")]
public sealed class PromtoolTests
{
    [Fact]
    public async Task CheckRules_AcceptsEveryRuleFile()
    {
        var rules = Directory.GetFiles(Path.Combine(Repository.ObservabilityDeploy, "rules"), "*.yml");
        Assert.NotEmpty(rules);

        var (exitCode, output) = await Tool.RunAsync("promtool", ["check", "rules", .. rules], Repository.ObservabilityDeploy);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task TestRules_AlertsFireAndResolveAsTheUnitTestsExpect()
    {
        var tests = Directory.GetFiles(Path.Combine(Repository.ObservabilityDeploy, "tests"), "*.test.yml");
        Assert.NotEmpty(tests);

        var (exitCode, output) = await Tool.RunAsync("promtool", ["test", "rules", .. tests], Repository.ObservabilityDeploy);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output);
    }

    [Theory]
    [InlineData("prometheus.yml")]
    [InlineData("prometheus-services.yml")]
    public async Task CheckConfig_AcceptsThePrometheusConfigs(string file)
    {
        var (exitCode, output) = await Tool.RunAsync("promtool", ["check", "config", file], Repository.ObservabilityDeploy);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public void Dashboard_IsValidJsonAndQueriesOnlyPrintFlowAndFrameworkMetrics()
    {
        var json = File.ReadAllText(Path.Combine(Repository.ObservabilityDeploy, "grafana", "printflow-pipeline.json"));
        using var dashboard = System.Text.Json.JsonDocument.Parse(json);
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .ToList();

        Assert.True(expressions.Count >= 10);
        Assert.Contains(expressions, e => e.Contains("printflow_orders_stuck", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("printflow_orders_entered_total", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("printflow_outbox_oldest_age_seconds", StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("printflow_notifications_send_latency_seconds_bucket", StringComparison.Ordinal));
    }
}
