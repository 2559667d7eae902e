using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>
/// Every printflow_* family that docs/observability.md, the alert and recording rules and the dashboard name is
/// served by /metrics under that name and type, so a renamed instrument or an exporter's naming rule cannot make a
/// family (and the alerts on it) vanish silently.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class MetricFamiliesTests : IDisposable
{
    private const string BrokerOnly = "printflow_rabbitmq_"; // created by the RabbitMQ transport only

    private readonly PrintFlowHost _host = new(new Dictionary<string, string?>
    {
        ["Shop:Resend:Interval"] = "00:00:00.200",
        ["Partners:Resend:Interval"] = "00:00:00.200",
    });

    [Fact]
    public async Task Metrics_ServeEveryFamilyTheDocsRulesAndDashboardName_UnderItsDocumentedType()
    {
        var documented = DocumentedFamilies();
        Assert.True(documented.Count >= 25, $"the metrics table of docs/observability.md lists {documented.Count} families");
        var queried = QueriedFamilies(documented);
        Assert.True(queried.Count >= 10);
        Assert.Empty(queried.Except(documented.Keys)); // a rule or panel that queries an undocumented name

        using var client = _host.CreateClient();
        TouchEveryInstrument(_host.Services.GetRequiredService<IMeterFactory>());
        var expected = documented.Keys.Where(name => !name.StartsWith(BrokerOnly, StringComparison.Ordinal)).ToList();
        var served = await Eventually.UntilAsync(
            async () => ServedFamilies(await client.GetStringAsync("/metrics")),
            families => expected.All(families.ContainsKey),
            "every documented printflow_* family is served");

        Assert.All(expected, name => Assert.Equal((name, documented[name]), (name, served[name])));
        Assert.Empty(served.Keys.Where(name => name.StartsWith("printflow_", StringComparison.Ordinal)).Except(documented.Keys));
    }

    /// <summary>Counters and histograms appear once something was recorded: a zero on each of this host's own instruments.</summary>
    private static void TouchEveryInstrument(IMeterFactory hostMeters)
    {
        var instruments = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == hostMeters && instrument.Meter.Name.StartsWith("PrintFlow", StringComparison.Ordinal))
                {
                    instruments.Add(instrument);
                }
            },
        };
        listener.Start();
        foreach (var instrument in instruments)
        {
            switch (instrument)
            {
                case Counter<long> counter:
                    counter.Add(0);
                    break;
                case Histogram<double> histogram:
                    histogram.Record(0);
                    break;
                case Histogram<int> histogram:
                    histogram.Record(0);
                    break;
            }
        }
    }

    /// <summary>The first two columns of the table under "PrintFlow's own metrics": name and type.</summary>
    private static Dictionary<string, string> DocumentedFamilies() =>
        File.ReadLines(Path.Combine(Repository.Root, "docs", "observability.md"))
            .Select(line => DocumentedRow().Match(line))
            .Where(match => match.Success)
            .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["type"].Value);

    private static HashSet<string> QueriedFamilies(Dictionary<string, string> documented)
    {
        var files = Directory.GetFiles(Path.Combine(Repository.ObservabilityDeploy, "rules"), "*.yml")
            .Append(Path.Combine(Repository.ObservabilityDeploy, "grafana", "printflow-pipeline.json"));
        return files.SelectMany(file => MetricName().Matches(File.ReadAllText(file)).Select(m => m.Value))
            .Select(name => HistogramSample().Replace(name, "") is var family && documented.GetValueOrDefault(family) == "histogram" ? family : name)
            .ToHashSet(StringComparer.Ordinal);
    }

    private static Dictionary<string, string> ServedFamilies(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[2], parts => parts[3], StringComparer.Ordinal);

    [GeneratedRegex(@"^\| `(?<name>printflow_[a-z0-9_]+)` \| (?<type>counter|gauge|histogram) \|")]
    private static partial Regex DocumentedRow();

    [GeneratedRegex(@"printflow_[a-z0-9_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSample();

    public void Dispose() => _host.Dispose();
}
