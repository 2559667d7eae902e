using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Exact;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests.Support;

/// <summary>The real embedded host, fed price requests straight into the Pricing endpoint; reads Pricing's outbox.</summary>
public sealed class PricingHost : IDisposable
{
    public static readonly CustomerRef Customer = new("c-1", "Ada Customer", "ada@example.com", SalesChannel.Shop);

    public PricingHost(IDictionary<string, string?>? settings = null)
    {
        // Ordering retries the quotes of orders it never saw (these tests skip it); that noise is not the test's.
        var all = new Dictionary<string, string?> { ["Logging:LogLevel:PrintFlow.Messaging"] = "Error" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        Host = new PrintFlowHost(all);
    }

    public PrintFlowHost Host { get; }

    public ModelAnalyzer Analyzer => Host.Services.GetRequiredService<ModelAnalyzer>();
    public AnalysisScheduler Scheduler => Host.Services.GetRequiredService<AnalysisScheduler>();

    public async Task<OrderItem> ItemAsync(byte[] model, string fileName, string material = "PLA", int quantity = 1)
    {
        using var stream = new MemoryStream(model);
        return await ItemAsync(stream, fileName, material, quantity);
    }

    public async Task<OrderItem> ItemFromFileAsync(string path, string material = "PLA", int quantity = 1)
    {
        await using var stream = File.OpenRead(path);
        return await ItemAsync(stream, Path.GetFileName(path), material, quantity);
    }

    private async Task<OrderItem> ItemAsync(Stream model, string fileName, string material, int quantity)
    {
        var stored = await Host.Services.GetRequiredService<IModelStore>().SaveAsync(model, CancellationToken.None);
        return new OrderItem(Guid.CreateVersion7(), stored.Sha256, fileName, stored.SizeBytes, material, quantity);
    }

    public static PriceRequested Request(params OrderItem[] items) =>
        new(Guid.CreateVersion7(), Customer, items, LeadTime.Standard, 1, DateTimeOffset.UtcNow);

    public Task DispatchAsync(PriceRequested request) => DispatchAsync("pricing", request);

    public Task DispatchAsync<T>(string endpoint, T message) where T : IIntegrationEvent => Host.DispatchAsync(endpoint, message);

    /// <summary>What Pricing published for an order, oldest first.</summary>
    public async Task<IReadOnlyList<IIntegrationEvent>> PublishedAsync(Guid orderId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        var rows = await db.Outbox.AsNoTracking().Where(m => m.CorrelationId == orderId).OrderBy(m => m.Id).ToListAsync();
        return rows.Select(r => MessageSerializer.Deserialize(r.ToEnvelope())).ToList();
    }

    public async Task<T> PublishedAsync<T>(Guid orderId, TimeSpan? timeout = null) where T : IIntegrationEvent
    {
        var events = await Eventually.UntilAsync(() => PublishedAsync(orderId), e => e.OfType<T>().Any(),
            $"Pricing published {typeof(T).Name} for {orderId}", timeout);
        return events.OfType<T>().Single();
    }

    public async Task<ExactJob?> ExactJobAsync(Guid orderId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        return await db.ExactJobs.AsNoTracking().SingleOrDefaultAsync(j => j.OrderId == orderId);
    }

    public void Dispose() => Host.Dispose();
}
