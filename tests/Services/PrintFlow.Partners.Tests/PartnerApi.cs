using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Partners.Accounts;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Endpoints;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

/// <summary>What the tests do through the partner API, and how they look behind it (outbox, endpoint).</summary>
internal static class PartnerApi
{
    public const string DemoKey = "pfk_demo_0123456789abcdef";
    public const string Orders = "/api/partners/v1/orders";

    /// <summary>
    /// Versions far above what Ordering reaches for a fresh order, so statuses a test dispatches win over any real
    /// ones Ordering publishes for the same order in the embedded system.
    /// </summary>
    public const int TestVersionBase = 1000;

    public static HttpClient ClientWithKey(PrintFlowHost host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static MultipartFormDataContent OrderForm(
        byte[]? model = null, string? material = "PLA", string? quantity = "2", string? reference = null,
        string fileName = "cube.stl", bool withModel = true, string? leadTime = null)
    {
        var form = new MultipartFormDataContent();
        if (withModel)
        {
            var file = new ByteArrayContent(model ?? StlFiles.BinaryCube());
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "model", fileName);
        }

        if (material is not null)
        {
            form.Add(new StringContent(material), "material");
        }

        if (quantity is not null)
        {
            form.Add(new StringContent(quantity), "quantity");
        }

        if (reference is not null)
        {
            form.Add(new StringContent(reference), "reference");
        }

        if (leadTime is not null)
        {
            form.Add(new StringContent(leadTime), "leadTime");
        }

        return form;
    }

    public static async Task<HttpResponseMessage> PostOrderAsync(HttpClient client, MultipartFormDataContent form, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Orders) { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    public static async Task<OrderCreated> CreateOrderAsync(HttpClient client, string? reference = null)
    {
        using var response = await PostOrderAsync(client, OrderForm(reference: reference));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderCreated>())!;
    }

    public static async Task<OrderDetails> GetOrderAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<OrderDetails>($"{Orders}/{id}"))!;

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static async Task<string> ProblemCodeAsync(HttpResponseMessage response) =>
        (await ProblemAsync(response)).GetProperty("code").GetString()!;

    public static async Task DispatchAsync<TEvent>(PrintFlowHost host, TEvent message) where TEvent : IIntegrationEvent
    {
        var endpoint = host.Services.GetRequiredService<IEnumerable<IMessageEndpoint>>().Single(e => e.Name == "partners");
        await endpoint.DispatchAsync(
            new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<TEvent>(), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null),
            CancellationToken.None);
    }

    public static OrderStatusChanged StatusChanged(
        Guid orderId, OrderStatus status, int version, QuoteSummary? quote = null, string? reason = null) =>
        new(orderId, new CustomerRef("partner", "Demo Partner Ltd", "api@demo-partner.example", SalesChannel.Partner),
            status, null, version, DateTimeOffset.UtcNow, reason, quote, []);

    public static QuoteSummary Quote(decimal amount = 42.50m) => new(
        Guid.NewGuid(), amount, "EUR", "Instant", DateTimeOffset.UtcNow.AddDays(7),
        [new QuoteLine("cube.stl, PLA × 2", amount - 5m), new QuoteLine("Standard lead time", 5m)], []);

    /// <summary>The events Partners published for an order, oldest first.</summary>
    public static async Task<List<IIntegrationEvent>> PublishedAsync(PrintFlowHost host, Guid orderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
        var rows = await db.Outbox.AsNoTracking().Where(m => m.CorrelationId == orderId).OrderBy(m => m.Id).ToListAsync();
        return [.. rows.Select(row => MessageSerializer.Deserialize(row.ToEnvelope()))];
    }

    public static async Task<CreatedPartner> CreatePartnerAsync(PrintFlowHost host, string name, int? requestsPerMinute = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PartnerAccounts>()
            .CreateAsync(name, $"{Guid.NewGuid():N}@partner.example", autoConfirmBelow: 100m, requestsPerMinute, CancellationToken.None);
    }
}
