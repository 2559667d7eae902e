using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Webhooks;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>
/// Webhooks as a deployment without the test allow-list sees them (loopback and metadata addresses refused), and with
/// the PartnerWebhooks feature flag off (the endpoints do not exist, and nothing is delivered).
/// </summary>
public sealed class WebhookSwitchTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hooks")]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("https://169.254.169.254/hook")]
    public async Task Register_WhenTheUrlIsLoopbackOrMetadataWithNoAllowList_Refuses400AddressRefused(string url)
    {
        using var host = new PrintFlowHost();
        using var client = await WebhookApi.NewPartnerAsync(host);

        using var response = await WebhookApi.RegisterAsync(client, url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("webhook.url-address-refused", await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task Webhooks_WhenTheFlagIsOff_Answer404FeatureDisabledAndDeliverNothing()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["FeatureManagement:PartnerWebhooks"] = "false",
            ["Partners:Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Partners:Webhooks:PollInterval"] = "00:00:00.050",
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var partner = await PartnerApi.CreatePartnerAsync(host, "Switched Off GmbH", autoConfirmBelow: 1_000_000);
        using var client = PartnerApi.ClientWithKey(host, partner.ApiKey);

        using var register = await WebhookApi.RegisterAsync(client, receiver.Url.ToString());
        using var list = await client.GetAsync(WebhookApi.Webhooks);
        using var rotate = await client.PostAsync($"{WebhookApi.Webhooks}/{Guid.NewGuid()}/rotate-secret", null);
        foreach (var refused in new[] { register, list, rotate })
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Equal("feature_disabled", await PartnerApi.ProblemCodeAsync(refused));
        }

        // An endpoint registered while the flag was on: its partner's orders still stage and send nothing.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
            db.WebhookEndpoints.Add(WebhookEndpoint.Register(partner.Partner.Id, receiver.Url, [WebhookEvents.OrderStatusChanged], null,
                scope.ServiceProvider.GetRequiredService<WebhookSecrets>(), DateTimeOffset.UtcNow, out _));
            await db.SaveChangesAsync();
        }

        var order = await PartnerApi.CreateOrderAsync(client);
        await Eventually.UntilAsync(() => PartnerApi.GetOrderAsync(client, order.Id), o => o.Status is "Confirmed" or "ManufacturingApproved",
            "the order's quote is confirmed", TimeSpan.FromSeconds(90));

        Assert.Equal(0, await WebhookApi.DeliveryRowsAsync(host, order.Id));
        Assert.Equal(0, receiver.Requests);
    }
}
