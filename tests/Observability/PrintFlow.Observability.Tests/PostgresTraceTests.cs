using System.Collections.Concurrent;
using System.Diagnostics;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Observability.Tests;

/// <summary>On PostgreSQL, Npgsql's own spans sit under the request or consumer that ran them, and its metrics are served.</summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class PostgresTraceTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public PostgresTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("PrintFlow", StringComparison.Ordinal) || source.Name is "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task PartnerOrder_OnPostgres_HasNpgsqlSpansUnderThePricingConsumerAndNpgsqlMetrics()
    {
        await using var partners = await PostgresTestDatabase.CreateAsync("trace_partners");
        await using var ordering = await PostgresTestDatabase.CreateAsync("trace_ordering");
        await using var pricing = await PostgresTestDatabase.CreateAsync("trace_pricing");
        using var host = new PrintFlowHost(PrintFlowHost.OnPostgres(
            ("partners", partners.ConnectionString), ("ordering", ordering.ConnectionString), ("pricing", pricing.ConnectionString)));
        using var partner = await Partner.CreateAsync(host, host.CreateClient());

        var orderId = await partner.OrderAsync(StlFiles.BinaryCube(20), "postgres-trace-cube.stl");
        await partner.WaitForStatusAsync(orderId, "Quoted");

        var consumer = await Eventually.UntilAsync(
            () => Task.FromResult(_spans.FirstOrDefault(s => s.OperationName == "pricing.price-requested process"
                && (string?)s.GetTagItem("printflow.order_id") == orderId.ToString())),
            span => span is not null, "the pricing consumer's span was recorded");
        var queries = _spans.Where(s => s.Source.Name == "Npgsql" && s.ParentSpanId == consumer!.SpanId).ToList();
        Assert.NotEmpty(queries);
        Assert.All(queries, span =>
        {
            Assert.Equal(ActivityKind.Client, span.Kind);
            Assert.Equal(consumer!.TraceId, span.TraceId);
            Assert.NotNull(span.GetTagItem("db.query.text"));
        });

        using var client = host.CreateClient();
        var exposition = await client.GetStringAsync("/metrics");
        Assert.Contains("\ndb_client_", exposition, StringComparison.Ordinal); // Npgsql's db.client.* meter
    }

    public void Dispose() => _listener.Dispose();
}
