using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>Registering, listing, deleting endpoints, and every hostile URL refused with a coded 400.</summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookRegistrationTests(WebhookFixture fixture)
{
    [Fact]
    public async Task Register_WhenTheUrlIsAllowed_ShowsTheSecretOnceAndListsTheEndpointWithoutIt()
    {
        using var client = await WebhookApi.NewPartnerAsync(fixture.Host);

        using var response = await WebhookApi.RegisterAsync(client, "http://127.0.0.1:9/hooks", "order.status_changed");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString());
        var id = created.GetProperty("endpoint").GetProperty("id").GetGuid();
        var listed = await client.GetStringAsync(WebhookApi.Webhooks);
        Assert.Contains(id.ToString(), listed);
        Assert.DoesNotContain("whsec_", listed);
        Assert.DoesNotContain("secret\"", listed.Replace("SecretRotatedAt", "", StringComparison.OrdinalIgnoreCase)
            .Replace("previousSecretValidUntil", "", StringComparison.OrdinalIgnoreCase));

        using var deleted = await client.DeleteAsync($"{WebhookApi.Webhooks}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await client.GetAsync($"{WebhookApi.Webhooks}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData("https://127.0.0.2/hook", "webhook.url-address-refused", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "webhook.url-address-refused", "metadata")]
    [InlineData("https://[::1]/hook", "webhook.url-address-refused", "loopback")]
    [InlineData("https://[::ffff:127.0.0.1]/hook", "webhook.url-address-refused", "loopback")]
    [InlineData("https://10.0.0.5/hook", "webhook.url-address-refused", "private")]
    [InlineData("https://172.16.3.4/hook", "webhook.url-address-refused", "private")]
    [InlineData("https://192.168.1.1/hook", "webhook.url-address-refused", "private")]
    [InlineData("https://100.64.0.1/hook", "webhook.url-address-refused", "carrier-grade")]
    [InlineData("https://169.254.10.10/hook", "webhook.url-address-refused", "link-local")]
    [InlineData("https://[fe80::1]/hook", "webhook.url-address-refused", "link-local")]
    [InlineData("https://[fd00:ec2::254]/hook", "webhook.url-address-refused", "metadata")]
    [InlineData("https://[fc00::1]/hook", "webhook.url-address-refused", "private")]
    [InlineData("https://0.0.0.0/hook", "webhook.url-address-refused", "unspecified")]
    [InlineData("https://224.0.0.1/hook", "webhook.url-address-refused", "multicast")]
    [InlineData("https://private.hooks.test/hook", "webhook.url-address-refused", "private")]
    [InlineData("https://localhost/hook", "webhook.url-address-refused", "loopback")]
    [InlineData("ftp://hooks.example.com/hook", "webhook.url-scheme", "https")]
    [InlineData("file:///etc/passwd", "webhook.url-scheme", "https")]
    [InlineData("javascript:alert(1)", "webhook.url-scheme", "https")]
    [InlineData("https://user:secret@public.hooks.test/hook", "webhook.url-userinfo", "password")]
    [InlineData("/relative/hook", "webhook.url-invalid", "absolute")]
    [InlineData("https://nowhere.invalid/hook", "webhook.url-unresolvable", "resolved")]
    public async Task Register_WhenTheUrlIsHostile_Refuses400WithACode(string url, string code, string said)
    {
        fixture.Resolver.Answers["private.hooks.test"] = [IPAddress.Parse("10.1.2.3"), IPAddress.Parse("93.184.216.34")];
        fixture.Resolver.Answers["public.hooks.test"] = [IPAddress.Parse("93.184.216.34")];
        fixture.Resolver.Answers["nowhere.invalid"] = [];
        using var client = await WebhookApi.NewPartnerAsync(fixture.Host);

        using var response = await WebhookApi.RegisterAsync(client, url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await PartnerApi.ProblemAsync(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(said, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_WhenTheUrlIsTooLong_Refuses400()
    {
        using var client = await WebhookApi.NewPartnerAsync(fixture.Host);

        using var response = await WebhookApi.RegisterAsync(client, "https://public.hooks.test/" + new string('a', 3000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhook.url-too-long", await PartnerApi.ProblemCodeAsync(response));
    }

    [Theory]
    [InlineData("{\"url\": ", "webhook.body-invalid")]
    [InlineData("<xml/>", "webhook.body-invalid")]
    [InlineData("{\"url\": 42}", "webhook.body-invalid")]
    [InlineData("null", "webhook.body-missing")]
    [InlineData("{}", "webhook.url-missing")]
    public async Task Register_WhenTheBodyIsNotARequest_Refuses400WithACode(string body, string code)
    {
        using var client = await WebhookApi.NewPartnerAsync(fixture.Host);

        using var response = await client.PostAsync(WebhookApi.Webhooks, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task Register_WhenAnEventTypeIsUnknown_Refuses400()
    {
        using var client = await WebhookApi.NewPartnerAsync(fixture.Host);

        using var response = await WebhookApi.RegisterAsync(client, "http://127.0.0.1:9/hooks", "order.status_changed", "order.everything");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhook.event-unknown", await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task Register_WhenThePartnerHasTheMostEndpointsAllowed_Refuses400()
    {
        using var client = await WebhookApi.NewPartnerAsync(fixture.Host);
        for (var i = 0; i < 5; i++)
        {
            using var ok = await WebhookApi.RegisterAsync(client, $"http://127.0.0.1:9/hooks/{i}");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var response = await WebhookApi.RegisterAsync(client, "http://127.0.0.1:9/hooks/6");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("webhook.too-many-endpoints", await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task Webhooks_OfAnotherPartner_AreNotFound()
    {
        using var owner = await WebhookApi.NewPartnerAsync(fixture.Host, "Owner Ltd");
        using var other = await WebhookApi.NewPartnerAsync(fixture.Host, "Other Ltd");
        using var response = await WebhookApi.RegisterAsync(owner, "http://127.0.0.1:9/hooks");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("endpoint").GetProperty("id").GetGuid();

        using var read = await other.GetAsync($"{WebhookApi.Webhooks}/{id}");
        using var delete = await other.DeleteAsync($"{WebhookApi.Webhooks}/{id}");
        using var rotate = await other.PostAsync($"{WebhookApi.Webhooks}/{id}/rotate-secret", null);

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rotate.StatusCode);
    }
}
