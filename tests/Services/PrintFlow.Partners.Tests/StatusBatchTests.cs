using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Partners.Accounts;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class StatusBatchTests(PartnersFixture fixture)
{
    [Fact]
    public async Task StatusEvents_WhenAppliedAsABatch_ReadTheirOrdersInOneQueryAndApplyEach()
    {
        var ids = await OrdersNobodyElseMovesAsync(3);
        using var reads = new QueryCounter("partner_orders", ids);
        var failures = await fixture.Host.DispatchBatchAsync("partners",
            [.. ids.Select(id => PartnerApi.StatusChanged(id, OrderStatus.PriceCalculating, PartnerApi.TestVersionBase + 1))]);

        Assert.All(failures, Assert.Null);
        Assert.Equal(1, reads.Count);
        foreach (var id in ids)
        {
            Assert.Equal("PriceCalculating", (await PartnerApi.GetOrderAsync(fixture.Demo, id)).Status);
        }
    }

    /// <summary>
    /// Orders written straight into Partners' database: placed through the API they would also travel the embedded
    /// pipeline, whose own status events would read them while the batch's queries are counted.
    /// </summary>
    private async Task<List<Guid>> OrdersNobodyElseMovesAsync(int count)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
        var now = DateTimeOffset.UtcNow;
        var orders = Enumerable.Range(0, count).Select(_ => PartnerOrder.Submit(Guid.CreateVersion7(), DemoPartnerSeeder.PartnerId, null,
            [new OrderItem(Guid.NewGuid(), new string('a', 64), "cube.stl", 684, "PLA", 1)], LeadTime.Standard, null, now)).ToList();
        db.Orders.AddRange(orders);
        await db.SaveChangesAsync();
        return [.. orders.Select(o => o.Id)];
    }
}
