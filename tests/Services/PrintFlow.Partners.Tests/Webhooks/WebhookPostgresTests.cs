using PrintFlow.Contracts;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>Two Partners instances on one PostgreSQL database share the deliveries: each event is claimed and sent once.</summary>
[Trait("Category", "Infrastructure")]
public sealed class WebhookPostgresTests
{
    [Fact]
    public async Task Deliveries_WhenTwoInstancesShareTheDatabase_ReachTheReceiverOnceEach()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("partners_webhooks");
        var settings = PrintFlowHost.OnPostgres(("partners", database.ConnectionString));
        settings["Partners:Webhooks:AllowedHosts:0"] = "127.0.0.1";
        settings["Partners:Webhooks:PollInterval"] = "00:00:00.020";
        using var first = new PrintFlowHost(settings);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await WebhookApi.NewPartnerAsync(first);
        var endpoint = await WebhookApi.RegisterAsync(client, receiver);
        var order = await PartnerApi.CreateOrderAsync(client);
        // The second instance shares the first's data folder, hence its data-protection keys, as processes of one deployment do.
        using var second = new PrintFlowHost(new Dictionary<string, string?>(settings) { ["PrintFlow:DataDirectory"] = first.DataDirectory });
        _ = second.Services;

        const int versions = 20;
        var statuses = Enum.GetValues<OrderStatus>();
        await Task.WhenAll(Enumerable.Range(1, versions).Select(v => Task.Run(async () =>
        {
            var change = PartnerApi.StatusChanged(order.Id, statuses[v % statuses.Length], PartnerApi.TestVersionBase + v);
            await PartnerApi.DispatchAsync(v % 2 == 0 ? first : second, change);
            await PartnerApi.DispatchAsync(v % 2 == 0 ? second : first, change); // published twice, one event
        })));

        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Count(e => e.Version > PartnerApi.TestVersionBase) >= versions),
            "every event reached the receiver");
        await Eventually.UntilAsync(async () => (await WebhookApi.DeliveriesAsync(client, endpoint)).All(d => d.GetProperty("status").GetString() == "delivered"),
            "every delivery is recorded as delivered, so no attempt is still under way");
        var received = receiver.Received.Where(e => e.Version > PartnerApi.TestVersionBase).ToList();

        Assert.All(received, e => Assert.True(e.SignatureValid));
        Assert.Equal(versions, received.Select(e => e.Version).Distinct().Count());
        Assert.Equal(versions, received.Count); // claimed by one instance each: no duplicate in the happy path
        Assert.Equal(versions, await WebhookApi.DeliveryRowsAsync(first, order.Id));
    }
}
