using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>Deliveries to a real receiver on a loopback port: signed, at least once, isolated per endpoint, SSRF-checked on connect.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookFixture fixture)
{
    private PrintFlowHost Host => fixture.Host;

    private static Task<IReadOnlyList<ReceivedEvent>> ReceivedAsync(WebhookReceiver receiver, Guid orderId, Func<IReadOnlyList<ReceivedEvent>, bool> done, string because) =>
        Eventually.UntilAsync(() => Task.FromResult<IReadOnlyList<ReceivedEvent>>([.. receiver.Received.Where(e => e.OrderId == orderId)]), done, because);

    [Fact]
    public async Task Delivery_WhenAnOrderMovesOn_ReachesTheReceiverSignedWithStableEventIdsAndTracking()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await WebhookApi.NewPartnerAsync(Host);
        await WebhookApi.RegisterAsync(client, receiver);
        var order = await PartnerApi.CreateOrderAsync(client, reference: "PO-77");

        var quoted = await ReceivedAsync(receiver, order.Id, r => r.Any(e => e.Status == "Quoted"), "the receiver heard the order is quoted");
        var shipped = PartnerApi.StatusChanged(order.Id, OrderStatus.Shipped, PartnerApi.TestVersionBase, PartnerApi.Quote()) with
        {
            Shipment = new Shipment("dhl", "JD0146000012345", "https://www.dhl.com/track?id=JD0146000012345", DateTimeOffset.UtcNow),
        };
        await PartnerApi.DispatchAsync(Host, shipped);
        var all = await ReceivedAsync(receiver, order.Id, r => r.Any(e => e.Status == "Shipped"), "the receiver heard the order shipped");

        Assert.All(all, e => Assert.True(e.SignatureValid, $"signature {e.Signature}"));
        Assert.All(all, e => Assert.Equal(e.Id.ToString(), e.EventIdHeader));
        Assert.All(all, e => Assert.Equal("order.status_changed", e.Body.GetProperty("type").GetString()));
        Assert.Equal(["Submitted", "PriceCalculating", "Quoted"], quoted.OrderBy(e => e.Version).Select(e => e.Status).Take(3));
        var quote = all.Single(e => e.Status == "Quoted").Body.GetProperty("data");
        Assert.Equal("PO-77", quote.GetProperty("reference").GetString());
        Assert.Equal(order.OrderNumber, quote.GetProperty("orderNumber").GetString());
        Assert.True(quote.GetProperty("quote").GetProperty("amount").GetDecimal() > 0);
        var tracking = all.Single(e => e.Status == "Shipped").Body.GetProperty("data").GetProperty("shipment");
        Assert.Equal("JD0146000012345", tracking.GetProperty("trackingNumber").GetString());
        Assert.Equal("dhl", tracking.GetProperty("carrier").GetString());
        Assert.False(all.Single(e => e.Status == "Quoted").Body.GetProperty("data").TryGetProperty("shipment", out _));
    }

    [Fact]
    public async Task Delivery_WhenTheSameStatusIsPublishedTwice_IsStagedOnceUnderOneEventId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await WebhookApi.NewPartnerAsync(Host);
        await WebhookApi.RegisterAsync(client, receiver);
        var order = await PartnerApi.CreateOrderAsync(client);
        await ReceivedAsync(receiver, order.Id, r => r.Any(e => e.Status == "Quoted"), "the order is quoted");
        var before = await WebhookApi.DeliveryRowsAsync(Host, order.Id);

        var republished = PartnerApi.StatusChanged(order.Id, OrderStatus.Printing, PartnerApi.TestVersionBase + 1);
        await PartnerApi.DispatchAsync(Host, republished); // two messages (new message ids), one transition: a watchdog re-publish
        await PartnerApi.DispatchAsync(Host, republished);
        await ReceivedAsync(receiver, order.Id, r => r.Any(e => e.Status == "Printing"), "the receiver heard Printing");

        Assert.Equal(before + 1, await WebhookApi.DeliveryRowsAsync(Host, order.Id));
        Assert.Single(receiver.Received, e => e.OrderId == order.Id && e.Status == "Printing");
    }

    [Fact]
    public async Task Delivery_WhenTheReceiverIsDownForAWhile_EveryEventArrivesAfterwardsDuplicatesOnlyUnderTheSameId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Down = true;
        using var client = await WebhookApi.NewPartnerAsync(Host);
        var endpoint = await WebhookApi.RegisterAsync(client, receiver);
        var order = await PartnerApi.CreateOrderAsync(client);
        await Eventually.UntilAsync(() => PartnerApi.GetOrderAsync(client, order.Id), o => o.Status == "Quoted", "the order is quoted");
        var failing = await Eventually.UntilAsync(() => WebhookApi.DeliveriesAsync(client, endpoint),
            d => d.Count >= 3 && d.All(x => x.GetProperty("attempts").GetInt32() >= 2), "every delivery failed at least twice");
        Assert.All(failing, d => Assert.Equal("pending", d.GetProperty("status").GetString()));

        receiver.Down = false;
        var received = await ReceivedAsync(receiver, order.Id, r => r.Select(e => e.Version).Distinct().Count() >= 3, "every event arrived");

        Assert.All(received, e => Assert.True(e.SignatureValid));
        Assert.Equal([1, 2, 3], received.Select(e => e.Version).Distinct().Order().Take(3));
        foreach (var sameId in received.GroupBy(e => e.Id))
        {
            Assert.Single(sameId.Select(e => e.Version).Distinct()); // a duplicate is the same event, under the same id
        }

        Assert.Equal(received.Select(e => e.Version).Distinct().Count(), received.Select(e => e.Id).Distinct().Count());
        await Eventually.UntilAsync(() => WebhookApi.DeliveriesAsync(client, endpoint),
            d => d.All(x => x.GetProperty("status").GetString() == "delivered"), "the deliveries list says delivered");
        using var scrape = Host.CreateClient();
        var metrics = await scrape.GetStringAsync("/metrics");
        Assert.Contains("printflow_webhook_deliveries_total{outcome=\"failed\"}", metrics);
        Assert.Contains("printflow_webhook_deliveries_total{outcome=\"delivered\"}", metrics);
        Assert.Contains("printflow_webhook_deliveries_duration_seconds_bucket{outcome=\"delivered\"", metrics);
        Assert.Contains("printflow_webhook_deliveries_failing ", metrics);
        Assert.Contains("printflow_webhook_deliveries_parked ", metrics);
    }

    [Fact]
    public async Task Delivery_WhenAnotherPartnersEndpointIsSlow_IsNotDelayed()
    {
        await using var slow = await WebhookReceiver.StartAsync();
        await using var fast = await WebhookReceiver.StartAsync();
        slow.Hold();
        using var slowPartner = await WebhookApi.NewPartnerAsync(Host, "Slow Hooks Ltd");
        using var fastPartner = await WebhookApi.NewPartnerAsync(Host, "Fast Hooks Ltd");
        await WebhookApi.RegisterAsync(slowPartner, slow);
        await WebhookApi.RegisterAsync(fastPartner, fast);

        var slowOrder = await PartnerApi.CreateOrderAsync(slowPartner);
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref slow.Requests) >= 2), "the slow endpoint holds both its slots");
        var fastOrder = await PartnerApi.CreateOrderAsync(fastPartner);
        await ReceivedAsync(fast, fastOrder.Id, r => r.Any(e => e.Status == "Quoted"), "the fast partner heard its order is quoted");

        Assert.Empty(slow.Received); // still held: the fast partner did not wait for it
        slow.Release();
        await ReceivedAsync(slow, slowOrder.Id, r => r.Any(e => e.Status == "Quoted"), "the slow partner gets its events in the end");
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("10.20.30.40", "private-network")]
    [InlineData("::1", "loopback")]
    public async Task Delivery_WhenTheNameResolvesToAForbiddenAddressAfterRegistration_IsRefusedOnConnect(string rebound, string said)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var host = $"rebind-{Guid.NewGuid():N}.hooks.test";
        fixture.Resolver.Answers[host] = [IPAddress.Parse("93.184.216.34")];
        using var client = await WebhookApi.NewPartnerAsync(Host);
        using var registered = await WebhookApi.RegisterAsync(client, $"http://{host}:{receiver.Port}/hooks/printflow");
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var endpoint = (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endpoint").GetProperty("id").GetGuid();

        fixture.Resolver.Answers[host] = [IPAddress.Parse(rebound)]; // the DNS answer changes: rebinding
        await PartnerApi.CreateOrderAsync(client);
        var deliveries = await Eventually.UntilAsync(() => WebhookApi.DeliveriesAsync(client, endpoint),
            d => d.Count > 0 && d.All(x => x.GetProperty("attempts").GetInt32() >= 1), "every delivery was attempted");

        Assert.All(deliveries, d => Assert.Contains(said, d.GetProperty("lastError").GetString()));
        Assert.All(deliveries, d => Assert.Equal("pending", d.GetProperty("status").GetString()));
        Assert.Equal(0, Volatile.Read(ref receiver.Requests));
    }

    [Fact]
    public async Task RotateSecret_WhenAsked_SignsWithTheNewSecretAndTheOldOneDuringTheOverlap()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await WebhookApi.NewPartnerAsync(Host);
        var endpoint = await WebhookApi.RegisterAsync(client, receiver);
        var old = receiver.Secrets.Single();

        using var rotate = await client.PostAsync($"{WebhookApi.Webhooks}/{endpoint}/rotate-secret", null);
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
        var secret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(old, secret);
        var until = rotated.GetProperty("previousSecretValidUntil").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromHours(23), TimeSpan.FromHours(25));

        var order = await PartnerApi.CreateOrderAsync(client);
        var received = await ReceivedAsync(receiver, order.Id, r => r.Count > 0, "an event arrived");

        var first = received[0];
        Assert.True(WebhookReceiver.Verify(secret, first.Signature, first.Raw, TimeSpan.FromMinutes(5)));
        Assert.True(WebhookReceiver.Verify(old, first.Signature, first.Raw, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookReceiver.Verify("whsec_wrong", first.Signature, first.Raw, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Redeliver_WhenAsked_SendsTheSameEventIdAndBodyAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var client = await WebhookApi.NewPartnerAsync(Host);
        var endpoint = await WebhookApi.RegisterAsync(client, receiver);
        var order = await PartnerApi.CreateOrderAsync(client);
        await ReceivedAsync(receiver, order.Id, r => r.Any(e => e.Version == 1), "the first event arrived");
        var delivery = (await Eventually.UntilAsync(() => WebhookApi.DeliveriesAsync(client, endpoint),
            d => d.Any(x => x.GetProperty("version").GetInt32() == 1 && x.GetProperty("status").GetString() == "delivered"), "delivered"))
            .Single(x => x.GetProperty("version").GetInt32() == 1);

        using var redeliver = await client.PostAsync($"{WebhookApi.Webhooks}/{endpoint}/deliveries/{delivery.GetProperty("id").GetGuid()}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);

        var twice = await ReceivedAsync(receiver, order.Id, r => r.Count(e => e.Version == 1) == 2, "the event arrived again");
        var copies = twice.Where(e => e.Version == 1).ToList();
        Assert.Equal(copies[0].Id, copies[1].Id);
        Assert.Equal(copies[0].Raw, copies[1].Raw);
        Assert.Equal(delivery.GetProperty("eventId").GetGuid(), copies[0].Id);
    }

    [Fact]
    public async Task Delivery_WhenTheReceiverRedirects_IsNotFollowedAndOnlyAPrefixOfTheAnswerIsKept()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 302;
        using var client = await WebhookApi.NewPartnerAsync(Host);
        var endpoint = await WebhookApi.RegisterAsync(client, receiver);
        await PartnerApi.CreateOrderAsync(client);

        var deliveries = await Eventually.UntilAsync(() => WebhookApi.DeliveriesAsync(client, endpoint),
            d => d.Count > 0 && d.All(x => x.GetProperty("attempts").GetInt32() >= 1), "every delivery was attempted");

        Assert.All(deliveries, d =>
        {
            Assert.Equal(302, d.GetProperty("lastResponseCode").GetInt32());
            Assert.Equal("pending", d.GetProperty("status").GetString());
            Assert.Contains("redirects are not followed", d.GetProperty("lastError").GetString());
            Assert.InRange(d.GetProperty("lastResponsePrefix").GetString()!.Length, 1, 256); // the receiver sent 10,000 bytes
        });
    }
}
