using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>A partner's order through the whole embedded system, followed by signed webhooks to a receiver the test runs.</summary>
public sealed class WebhookOrderTests : IDisposable
{
    private const string DemoKey = "pfk_demo_0123456789abcdef";

    private readonly PrintFlowHost _host = new(new Dictionary<string, string?>
    {
        ["Partners:Webhooks:AllowedHosts:0"] = "127.0.0.1",
        ["Partners:Webhooks:PollInterval"] = "00:00:00.050",
    });

    [Fact]
    public async Task PartnerOrder_FromUploadToDelivered_ReachesTheReceiverWithEverySignedStatus()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var partner = _host.CreateClient();
        partner.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        using (var registered = await partner.PostAsJsonAsync("/api/partners/v1/webhooks", new { url = receiver.Url.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            receiver.Secrets.Add((await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        }

        using var form = new MultipartFormDataContent { { new StringContent("PLA"), "material" }, { new StringContent("1"), "quantity" } };
        var file = new ByteArrayContent(StlFiles.BinaryCube(20));
        file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
        form.Add(file, "model", "hook.stl");
        using var created = await partner.PostAsync("/api/partners/v1/orders", form);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var order = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = order.GetProperty("id").GetGuid();
        var number = order.GetProperty("orderNumber").GetString()!;

        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Any(e => e.OrderId == id && e.Status == "Quoted")), "the receiver heard Quoted");
        using (var confirm = await partner.PostAsync($"/api/partners/v1/orders/{id}/confirm", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
        }

        var factory = await Operator.SignInAsync(_host);
        await factory.ProduceAndDeliverAsync(await factory.WaitForJobAsync(number));
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Any(e => e.OrderId == id && e.Status == "Delivered")), "the receiver heard Delivered");

        var events = receiver.Received.Where(e => e.OrderId == id).ToList();
        Assert.All(events, e => Assert.True(e.SignatureValid, $"signature of {e.Status} v{e.Version}"));
        var byVersion = events.GroupBy(e => e.Version).OrderBy(g => g.Key).Select(g => g.First()).ToList();
        Assert.Equal(Enumerable.Range(1, byVersion.Count), byVersion.Select(e => e.Version)); // no version missing
        Assert.Equal(
            ["Submitted", "PriceCalculating", "Quoted", "Confirmed", "ManufacturingApproved", "Printing", "PostProcessing",
             "QualityCheck", "Printing", "PostProcessing", "QualityCheck", "Packed", "Shipped", "Delivered"],
            byVersion.Select(e => e.Status));
        Assert.All(events.GroupBy(e => e.Id), same => Assert.Single(same.Select(e => e.Version).Distinct()));
    }

    public void Dispose() => _host.Dispose();
}
