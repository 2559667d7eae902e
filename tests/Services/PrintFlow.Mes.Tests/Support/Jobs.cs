using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>Manufacturing requests as Ordering sends them.</summary>
public static class Jobs
{
    /// <summary>A fixture model (tests/Fixtures/Models) put in the host's model store, as a channel stores an upload; its content hash.</summary>
    public static async Task<string> StoreModelAsync(PrintFlow.Testing.PrintFlowHost host, string name = "cube-20mm.stl")
    {
        ArgumentNullException.ThrowIfNull(host);
        await using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Models", name));
        var stored = await host.InScopeAsync(sp => sp.GetRequiredService<PrintFlow.ModelStorage.IModelStore>().SaveAsync(file, CancellationToken.None));
        return stored.Sha256;
    }

    public static ManufacturingRequested Request(
        Guid? orderId = null,
        LeadTime leadTime = LeadTime.Standard,
        DateTimeOffset? dueDate = null,
        string material = "PLA",
        string customer = "Ada Customer",
        SalesChannel channel = SalesChannel.Shop,
        DateTimeOffset? requestedAt = null,
        string? modelSha256 = null,
        PartSize? size = null,
        int quantity = 2)
    {
        var id = orderId ?? Guid.CreateVersion7();
        var now = requestedAt ?? DateTimeOffset.UtcNow;
        var itemId = Guid.NewGuid();
        return new ManufacturingRequested(
            id,
            new CustomerRef("customer-" + id.ToString("N")[..8], customer, "ada@example.com", channel),
            [new OrderItem(itemId, modelSha256 ?? new string('a', 64), "bracket.stl", 684, material, quantity)],
            leadTime,
            dueDate,
            new QuoteSummary(Guid.NewGuid(), 42.50m, "EUR", "instant", now.AddDays(7),
                [new QuoteLine("bracket.stl × 2", 42.50m)],
                [new ItemQuote(itemId, "bracket.stl", 12, 8000, 1.5, 10, 42.50m, []) { SizeMm = size }]),
            now);
    }
}
