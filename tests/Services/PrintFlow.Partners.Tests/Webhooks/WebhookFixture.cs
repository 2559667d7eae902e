using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Webhooks;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests.Webhooks;

/// <summary>A DNS answer the test decides, so it can change between registration and delivery (rebinding).</summary>
public sealed class TestResolver : IWebhookHostResolver
{
    public ConcurrentDictionary<string, IPAddress[]> Answers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Answers.TryGetValue(host, out var answer) ? Task.FromResult(answer) : Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>The embedded host with webhooks allowed to 127.0.0.1 (the test's receivers), fast retries and a DNS seam.</summary>
public sealed class WebhookFixture : IDisposable
{
    public TestResolver Resolver { get; } = new();

    public PrintFlowHost Host { get; }

    public WebhookFixture()
    {
        Host = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["Partners:Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Partners:Webhooks:RetryBaseDelay"] = "00:00:00.200",
            ["Partners:Webhooks:MaxRetryDelay"] = "00:00:01",
            ["Partners:Webhooks:PollInterval"] = "00:00:00.050",
            ["Partners:Webhooks:Timeout"] = "00:00:05",
        }, services: services => services.AddSingleton<IWebhookHostResolver>(Resolver));
    }

    public void Dispose() => Host.Dispose();
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookFixture>
{
    public const string Name = "webhooks";
}

/// <summary>What the webhook tests do through the API.</summary>
internal static class WebhookApi
{
    public const string Webhooks = "/api/partners/v1/webhooks";

    public static async Task<HttpClient> NewPartnerAsync(PrintFlowHost host, string name = "Hooked Parts GmbH")
    {
        var partner = await PartnerApi.CreatePartnerAsync(host, name);
        return PartnerApi.ClientWithKey(host, partner.ApiKey);
    }

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient client, string url, params string[] events) =>
        client.PostAsJsonAsync(Webhooks, new { url, events = events.Length == 0 ? null : events });

    /// <summary>Registers the receiver and teaches it the secret; returns the endpoint id.</summary>
    public static async Task<Guid> RegisterAsync(HttpClient client, WebhookReceiver receiver)
    {
        using var response = await RegisterAsync(client, receiver.Url.ToString());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        receiver.Secrets.Add(created.GetProperty("secret").GetString()!);
        return created.GetProperty("endpoint").GetProperty("id").GetGuid();
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(HttpClient client, Guid endpointId)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"{Webhooks}/{endpointId}/deliveries?limit=100");
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    public static async Task<int> DeliveryRowsAsync(PrintFlowHost host, Guid orderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
        return await db.WebhookDeliveries.CountAsync(d => d.OrderId == orderId);
    }
}
