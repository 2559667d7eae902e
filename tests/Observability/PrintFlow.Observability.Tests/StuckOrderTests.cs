using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.Observability.Tests.Support;
using PrintFlow.Ordering.Data;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests;

/// <summary>An order whose consumer cannot answer is flagged within its deadline and recovers when re-driven.</summary>
[Collection(HostCollection.Name)]
public sealed class StuckOrderTests : IDisposable
{
    private readonly PrintFlowHost _root = new(new Dictionary<string, string?>
    {
        ["Ordering:Deadlines:PriceCalculating"] = "00:00:01",
        ["Ordering:WatchdogInterval"] = "00:00:00.250",
    });

    private readonly FailingModelStore _store = new();
    private readonly WebApplicationFactory<Program> _host;

    public StuckOrderTests() =>
        _host = _root.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddSingleton<IModelStore>(sp => _store.Around(ActivatorUtilities.CreateInstance<FileModelStore>(sp)))));

    [Fact]
    public async Task Order_WhenPricingCannotAnswer_IsFlaggedStuckAndRecoversWhenReDriven()
    {
        var store = _host.Services.GetRequiredService<IModelStore>();
        var model = await store.SaveAsync(new MemoryStream(StlFiles.BinaryCube(15)), CancellationToken.None);
        _store.Failing = true; // Pricing's reads of the model store fail: its consumer cannot answer
        var orderId = Guid.CreateVersion7();
        await SubmitAsync(orderId, model);
        using var client = _host.CreateClient();

        await Eventually.UntilAsync(
            async () => (await ScrapeAsync(client)).Value("printflow_orders_stuck", ("state", "PriceCalculating")),
            stuck => stuck == 1, "the order is flagged stuck in PriceCalculating");
        await Eventually.UntilAsync(
            async () => (await ScrapeAsync(client)).Value("printflow_messages_handled_total", ("consumer", "pricing"), ("outcome", "failed")),
            failed => failed >= 1, "the pricing consumer's failures are counted");
        await Eventually.UntilAsync(async () =>
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var stuck = await scope.ServiceProvider.GetRequiredService<OpsQueries>().StuckAsync(CancellationToken.None);
            return stuck.Any(s => s.Id == orderId && s.Redrives >= 1);
        }, "the watchdog lists and re-drives the stuck order");

        _store.Failing = false;

        await Eventually.UntilAsync(
            async () => await ScrapeAsync(client),
            samples => samples.Value("printflow_orders_stuck", ("state", "PriceCalculating")) == 0
                && samples.Value("printflow_orders_in_state", ("state", "Quoted")) == 1
                && samples.Value("printflow_orders_entered_total", ("state", "Quoted")) == 1,
            "the re-driven order is quoted and no longer stuck");

        await using var scope = _host.Services.CreateAsyncScope();
        var outbox = await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Outbox.AsNoTracking()
            .Where(m => m.CorrelationId == orderId && m.Name == MessageTypes.NameOf<OrderStuck>()).ToListAsync();
        var stuck = (OrderStuck)MessageSerializer.Deserialize(Assert.Single(outbox).ToEnvelope()); // reported once, however often re-driven
        Assert.Equal((OrderStatus.PriceCalculating, "price-requested-again", 1), (stuck.Status, stuck.Redrive, stuck.Attempt));
    }

    private async Task SubmitAsync(Guid orderId, StoredModel model)
    {
        var now = DateTimeOffset.UtcNow;
        var submitted = new OrderSubmitted(
            orderId,
            new CustomerRef("obs-stuck", "Stuck Order Test", "stuck@example.com", SalesChannel.Partner),
            [new OrderItem(Guid.NewGuid(), model.Sha256, "stuck.stl", model.SizeBytes, "PLA", 1)],
            LeadTime.Standard,
            null,
            null,
            now);
        var ordering = _host.Services.GetServices<IMessageEndpoint>().Single(e => e.Name == "ordering");
        await ordering.DispatchAsync(
            new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<OrderSubmitted>(), orderId, MessageSerializer.Serialize(submitted), now, null),
            CancellationToken.None);
    }

    private static async Task<IReadOnlyList<Sample>> ScrapeAsync(HttpClient client) =>
        PrometheusText.Parse(await client.GetStringAsync("/metrics"));

    public void Dispose() => _root.Dispose();

    /// <summary>The real store, whose reads fail while <see cref="Failing"/> (storage unreachable).</summary>
    private sealed class FailingModelStore
    {
        public volatile bool Failing;

        public IModelStore Around(IModelStore inner) => new Store(inner, this);

        private sealed class Store(IModelStore inner, FailingModelStore owner) : IModelStore
        {
            public Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken) => inner.SaveAsync(content, cancellationToken);

            public Task<StagedModel> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) => inner.StageAsync(content, maxBytes, cancellationToken);

            public Task<StoredModel> CommitAsync(StagedModel staged, string holder, CancellationToken cancellationToken) =>
                inner.CommitAsync(staged, holder, cancellationToken);

            public Task<SweepReport> SweepAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken) =>
                inner.SweepAsync(now, retention, cancellationToken);

            public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) =>
                owner.Failing ? throw new IOException("The model storage is unreachable.") : inner.ExistsAsync(sha256, cancellationToken);

            public Task<ModelFile> OpenFileAsync(string sha256, CancellationToken cancellationToken) =>
                owner.Failing ? throw new IOException("The model storage is unreachable.") : inner.OpenFileAsync(sha256, cancellationToken);
        }
    }
}
