using System.Collections.Concurrent;
using System.Diagnostics;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>One order's operation is one trace: HTTP request, outbox relay, every consumer across the services.</summary>
[Collection(HostCollection.Name)]
public sealed class OrderTraceTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;
    private readonly PrintFlowHost _host = new();

    public OrderTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("PrintFlow", StringComparison.Ordinal) || source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task PartnerOrder_WhenAutoConfirmed_IsOneTraceFromTheRequestThroughOrderingPricingAndMes()
    {
        using var partner = await Partner.CreateAsync(_host, _host.CreateClient(), autoConfirmBelow: 1_000_000m);

        var orderId = await partner.OrderAsync(StlFiles.BinaryCube(20), "trace-cube.stl");

        var request = await Eventually.UntilAsync(
            () => Task.FromResult(_spans.FirstOrDefault(s => s.Source.Name == "Microsoft.AspNetCore"
                && s.GetTagItem("http.request.method") as string == "POST" && s.GetTagItem("url.path") as string == "/api/partners/v1/orders")),
            span => span is not null, "the partner's POST was traced");
        var traceId = request!.TraceId;
        Assert.StartsWith("POST /api/partners/v1/orders", request.DisplayName, StringComparison.Ordinal);

        string[] consumers = ["ordering", "pricing", "mes", "partners"];
        var trace = await Eventually.UntilAsync(
            () => Task.FromResult(_spans.Where(s => s.TraceId == traceId).ToList()),
            spans => consumers.All(c => spans.Any(s => s.Kind == ActivityKind.Consumer && s.GetTagItem("messaging.consumer.group.name") as string == c))
                && spans.Any(s => s.OperationName == "manufacturing.requested process")
                && spans.Where(s => s.Kind == ActivityKind.Consumer).All(c => spans.Any(p => p.SpanId == c.ParentSpanId)),
            "the order's trace reached Ordering, Pricing and MES");

        var messaging = _spans.Where(s => s.Source.Name == "PrintFlow.Messaging" && s.GetTagItem("printflow.order_id") as string == orderId.ToString()).ToList();
        Assert.All(messaging, span => Assert.Equal(traceId, span.TraceId)); // not a second trace anywhere
        Assert.Contains(trace, s => s.OperationName == "orders.submitted publish" && s.Kind == ActivityKind.Producer);
        Assert.Contains(trace, s => s.OperationName == "orders.submitted process" && (string?)s.GetTagItem("messaging.consumer.group.name") == "ordering");
        Assert.Contains(trace, s => s.OperationName == "pricing.price-requested process" && (string?)s.GetTagItem("messaging.consumer.group.name") == "pricing");
        Assert.Contains(trace, s => s.OperationName == "pricing.price-calculated process" && (string?)s.GetTagItem("messaging.consumer.group.name") == "ordering");
        Assert.Contains(trace, s => s.OperationName == "manufacturing.requested process" && (string?)s.GetTagItem("messaging.consumer.group.name") == "mes");
        Assert.All(trace.Where(s => s.Kind == ActivityKind.Consumer), span =>
        {
            Assert.Equal("printflow", span.GetTagItem("messaging.system"));
            Assert.Equal(orderId.ToString(), span.GetTagItem("messaging.message.conversation_id"));
            Assert.NotNull(span.ParentSpanId.ToString());
            Assert.Contains(trace, parent => parent.SpanId == span.ParentSpanId && parent.Kind == ActivityKind.Producer);
        });

        await WriteSamplesAsync(trace, request);
    }

    /// <summary>
    /// The span tree and the host's printflow_* metrics after the order, for the closing note: written to
    /// <c>PRINTFLOW_SAMPLES_DIR</c> (docs/samples) when set, else to the temp folder.
    /// </summary>
    private async Task WriteSamplesAsync(List<Activity> trace, Activity root)
    {
        var lines = new List<string>
        {
            $"trace {root.TraceId}: one partner order (auto-confirmed below its limit), captured by an ActivityListener in OrderTraceTests",
            $"{trace.Count} spans; database spans are folded into their parent as (+N db: ...)",
            "",
        };
        void Walk(Activity span, int depth)
        {
            var children = trace.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc).ToList();
            var queries = children.Where(IsDatabaseSpan).Select(s => s.DisplayName).ToList();
            var service = span.GetTagItem("messaging.consumer.group.name") ?? span.GetTagItem("printflow.service")
                ?? (span.Source.Name == "Microsoft.AspNetCore" ? "host (http)" : span.Source.Name);
            lines.Add($"{new string(' ', depth * 2)}{span.DisplayName} [{span.Kind}] service={service} {span.Duration.TotalMilliseconds:F1} ms span={span.SpanId}"
                + (queries.Count > 0 ? $" (+{queries.Count} db: {string.Join(", ", queries.Distinct())})" : ""));
            foreach (var child in children.Where(s => !IsDatabaseSpan(s)))
            {
                Walk(child, depth + 1);
            }
        }

        Walk(root, 0);
        var directory = Environment.GetEnvironmentVariable("PRINTFLOW_SAMPLES_DIR") is { Length: > 0 } configured ? configured : Path.GetTempPath();
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "trace-sample.txt"), string.Join('\n', lines) + "\n");

        using var client = _host.CreateClient();
        var exposition = await client.GetStringAsync("/metrics");
        var business = exposition.Split('\n').Where(line => line.StartsWith("printflow_", StringComparison.Ordinal)
            || line.StartsWith("# HELP printflow_", StringComparison.Ordinal) || line.StartsWith("# TYPE printflow_", StringComparison.Ordinal));
        await File.WriteAllTextAsync(Path.Combine(directory, "metrics-sample.txt"),
            $"# GET /metrics of the embedded host after the order of trace {root.TraceId} (printflow_* families only)\n" + string.Join('\n', business) + "\n");
    }

    private static bool IsDatabaseSpan(Activity span) => span.Kind == ActivityKind.Client && span.GetTagItem("db.query.text") is not null;

    public void Dispose()
    {
        _listener.Dispose();
        _host.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class HostCollection
{
    // Tests that start the whole embedded host run one after another: the machine has two shared cores.
    public const string Name = "embedded host";
}
