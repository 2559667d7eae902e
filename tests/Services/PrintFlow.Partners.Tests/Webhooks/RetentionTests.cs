using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Webhooks;
using PrintFlow.ServiceDefaults.Uploads;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>The messaging retention job also prunes delivered webhooks and old upload counts, and nothing else.</summary>
[Collection(WebhookCollection.Name)]
public sealed class RetentionTests(WebhookFixture fixture)
{
    [Fact]
    public Task Prune_WhenDeliveriesAndUploadCountsAreOld_DeletesThemAndKeepsRecentAndParkedOnes() => RetentionCheck.RunAsync(fixture.Host);
}

[Trait("Category", "Infrastructure")]
public sealed class RetentionPostgresTests
{
    [Fact]
    public async Task Prune_WhenOnPostgres_DeletesOldDeliveriesAndUploadCountsAndKeepsTheRest()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("partners_retention");
        var settings = PrintFlowHost.OnPostgres(("partners", database.ConnectionString));
        settings["Partners:Webhooks:AllowedHosts:0"] = "127.0.0.1";
        settings["Partners:Webhooks:PollInterval"] = "00:00:00.050";
        using var host = new PrintFlowHost(settings);
        await RetentionCheck.RunAsync(host);
    }
}

internal static class RetentionCheck
{
    public static async Task RunAsync(PrintFlowHost host)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await WebhookApi.NewPartnerAsync(host);
        await WebhookApi.RegisterAsync(client, receiver);
        var old = await PartnerApi.CreateOrderAsync(client);
        var recent = await PartnerApi.CreateOrderAsync(client);
        foreach (var order in new[] { old, recent })
        {
            await PartnerApi.DispatchAsync(host, PartnerApi.StatusChanged(order.Id, OrderStatus.Printing, PartnerApi.TestVersionBase + 1));
        }

        // Every delivery settled before any is backdated: one still in flight would overwrite the backdated time.
        await Eventually.UntilAsync(() => DeliveredAsync(host, old.Id, recent.Id), n => n.First >= 1 && n.Second >= 1 && n.Unsettled == 0,
            "each order has a delivered event and none is still in flight");
        var now = DateTimeOffset.UtcNow;
        var owner = $"retention-{Guid.NewGuid():N}";
        List<Guid> backdated;

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
            backdated = await db.WebhookDeliveries.Where(d => d.OrderId == old.Id).Select(d => d.Id).ToListAsync();
            // Delivered 31 days ago (retention 30 days), one of them parked instead, which is kept whatever its age.
            await db.WebhookDeliveries.Where(d => backdated.Contains(d.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.DeliveredAt, now.AddDays(-31)).SetProperty(d => d.Status, DeliveryStatus.Delivered));
            var parked = backdated[0];
            await db.WebhookDeliveries.Where(d => d.Id == parked).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Failed));
            await UploadQuotas.RecordAsync(db, owner, 1000, 1, now.AddDays(-3), CancellationToken.None);
            await UploadQuotas.RecordAsync(db, owner, 2000, 2, now.AddHours(-1), CancellationToken.None);
        }

        await host.Services.GetRequiredService<MessageRetention<PartnersDbContext>>().PruneAsync(CancellationToken.None);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
            var oldLeft = await db.WebhookDeliveries.Where(d => backdated.Contains(d.Id)).Select(d => d.Status).ToListAsync();
            Assert.Equal([DeliveryStatus.Failed], oldLeft);
            Assert.True(await db.WebhookDeliveries.CountAsync(d => d.OrderId == recent.Id && d.Status == DeliveryStatus.Delivered) >= 1,
                "the recent order's deliveries stay");
            var usage = await db.Set<UploadUsage>().Where(u => u.Owner == owner).Select(u => u.Bytes).ToListAsync();
            Assert.Equal([2000L], usage);
        }
    }

    private static async Task<(int First, int Second, int Unsettled)> DeliveredAsync(PrintFlowHost host, Guid first, Guid second)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
        return (await db.WebhookDeliveries.CountAsync(d => d.OrderId == first && d.Status == DeliveryStatus.Delivered),
            await db.WebhookDeliveries.CountAsync(d => d.OrderId == second && d.Status == DeliveryStatus.Delivered),
            await db.WebhookDeliveries.CountAsync(d => (d.OrderId == first || d.OrderId == second)
                                                       && d.Status != DeliveryStatus.Delivered && d.Status != DeliveryStatus.Failed));
    }
}
