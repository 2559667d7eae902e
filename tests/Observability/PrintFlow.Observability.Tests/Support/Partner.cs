using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Partners.Accounts;
using PrintFlow.Testing;

namespace PrintFlow.Observability.Tests.Support;

/// <summary>A partner of the embedded host, placing orders through the B2B API.</summary>
internal sealed class Partner(HttpClient client) : IDisposable
{
    /// <summary>A new partner whose quotes up to <paramref name="autoConfirmBelow"/> are confirmed without asking.</summary>
    public static async Task<Partner> CreateAsync(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> host, HttpClient client, decimal? autoConfirmBelow = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<PartnerAccounts>()
            .CreateAsync("Observability Test Prints", $"obs-{Guid.NewGuid():N}@example.com", autoConfirmBelow, null, CancellationToken.None);
        client.DefaultRequestHeaders.Add("X-Api-Key", created.ApiKey);
        return new Partner(client);
    }

    public async Task<Guid> OrderAsync(byte[] model, string fileName = "part.stl")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("PLA"), "material" },
            { new StringContent("1"), "quantity" },
        };
        var file = new ByteArrayContent(model);
        file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
        form.Add(file, "model", fileName);
        using var response = await client.PostAsync("/api/partners/v1/orders", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<JsonElement> WaitForStatusAsync(Guid id, string status) =>
        Eventually.UntilAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/api/partners/v1/orders/{id}"),
            order => order.GetProperty("status").GetString() == status,
            $"partner order {id} is {status}");

    public void Dispose() => client.Dispose();
}
