using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>End to end over HTTP in the embedded host: a partner's order through the B2B API.</summary>
public sealed class PartnerOrderTests : IDisposable
{
    private const string DemoKey = "pfk_demo_0123456789abcdef";
    private readonly PrintFlowHost _host = new();

    [Fact]
    public async Task PartnerOrder_FromUploadToDelivered_IsFollowedThroughTheApi()
    {
        using var partner = PartnerClient();
        var created = await CreateOrderAsync(partner, StlFiles.BinaryCube(25), "bracket.stl");
        var id = created.GetProperty("id").GetGuid();
        var number = created.GetProperty("orderNumber").GetString()!;

        var quoted = await WaitForStatusAsync(partner, id, "Quoted");
        Assert.True(quoted.GetProperty("quote").GetProperty("amount").GetDecimal() > 0);
        Assert.NotEmpty(quoted.GetProperty("quote").GetProperty("lines").EnumerateArray());
        using (var confirm = await partner.PostAsync($"/api/partners/v1/orders/{id}/confirm", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
        }

        var factory = await Operator.SignInAsync(_host);
        await factory.ProduceAndDeliverAsync(await factory.WaitForJobAsync(number));

        var delivered = await WaitForStatusAsync(partner, id, "Delivered");
        var history = delivered.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()).ToList();
        Assert.Equal(
            ["Submitted", "PriceCalculating", "Quoted", "Confirmed", "ManufacturingApproved", "Printing", "PostProcessing",
             "QualityCheck", "Printing", "PostProcessing", "QualityCheck", "Packed", "Shipped", "Delivered"],
            history);
    }

    [Fact]
    public async Task PartnerOrder_WhenTheStlIsBroken_EndsRejectedWithAReasonAPersonUnderstands()
    {
        using var partner = PartnerClient();
        var created = await CreateOrderAsync(partner, StlFiles.TruncatedBinary(), "broken.stl");

        var rejected = await WaitForStatusAsync(partner, created.GetProperty("id").GetGuid(), "Rejected");

        var reason = rejected.GetProperty("history").EnumerateArray().Last().GetProperty("reason").GetString();
        Assert.NotNull(reason);
        Assert.Contains("broken.stl", reason);
        Assert.DoesNotContain("Exception", reason);
        Assert.DoesNotContain(" at ", reason); // no stack trace
    }

    [Fact]
    public async Task PartnerApi_WithoutAValidKey_AnswersProblemDetails401()
    {
        using var anonymous = _host.CreateClient();
        using var wrong = _host.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "pfk_not-a-key");

        foreach (var client in new[] { anonymous, wrong })
        {
            using var response = await client.GetAsync("/api/partners/v1/orders");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("auth.", problem.GetProperty("code").GetString());
        }
    }

    private HttpClient PartnerClient()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        return client;
    }

    private static async Task<JsonElement> CreateOrderAsync(HttpClient partner, byte[] model, string fileName)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("PETG"), "material" },
            { new StringContent("3"), "quantity" },
        };
        var file = new ByteArrayContent(model);
        file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
        form.Add(file, "model", fileName);
        using var response = await partner.PostAsync("/api/partners/v1/orders", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Task<JsonElement> WaitForStatusAsync(HttpClient partner, Guid id, string status) =>
        Eventually.UntilAsync(
            () => partner.GetFromJsonAsync<JsonElement>($"/api/partners/v1/orders/{id}"),
            order => order.GetProperty("status").GetString() == status,
            $"partner order {id} is {status}");

    public void Dispose() => _host.Dispose();
}
