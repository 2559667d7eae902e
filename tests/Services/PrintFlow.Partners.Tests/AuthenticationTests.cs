using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Partners.Accounts;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class AuthenticationTests(PartnersFixture fixture)
{
    [Fact]
    public async Task ListOrders_WhenNoApiKey_Returns401WithMissingCode()
    {
        using var client = fixture.Host.CreateClient();

        using var response = await client.GetAsync(PartnerApi.Orders);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("ApiKey", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Equal("auth.api-key-missing", await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task CreateOrder_WhenApiKeyUnknown_Returns401WithInvalidCode()
    {
        using var client = PartnerApi.ClientWithKey(fixture.Host, "pfk_not-a-real-key");

        using var response = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await PartnerApi.ProblemAsync(response);
        Assert.Equal("auth.api-key-invalid", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task ListOrders_WhenApiKeyRevoked_Returns401()
    {
        var partner = await PartnerApi.CreatePartnerAsync(fixture.Host, "Revoked Parts GmbH");
        using var client = PartnerApi.ClientWithKey(fixture.Host, partner.ApiKey);
        using (var before = await client.GetAsync(PartnerApi.Orders))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using (var scope = fixture.Host.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<PartnerAccounts>().RevokeKeyAsync(partner.ApiKey, CancellationToken.None));
        }

        using var after = await client.GetAsync(PartnerApi.Orders);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("auth.api-key-invalid", await PartnerApi.ProblemCodeAsync(after));
    }

    [Fact]
    public async Task NewPartner_WhenCreated_KeyIsStoredOnlyAsHash()
    {
        var partner = await PartnerApi.CreatePartnerAsync(fixture.Host, "Hash Check Ltd");

        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.PartnersDbContext>();
        var stored = Assert.Single(db.ApiKeys.Where(k => k.PartnerId == partner.Partner.Id));
        Assert.StartsWith("pfk_", partner.ApiKey);
        Assert.NotEqual(partner.ApiKey, stored.Hash);
        Assert.Equal(Domain.PartnerApiKey.HashOf(partner.ApiKey), stored.Hash);
    }

    [Fact]
    public async Task OpenApiDocument_WhenRequested_DescribesThePartnerApiOnly()
    {
        using var client = fixture.Host.CreateClient();

        var json = await client.GetStringAsync("/api/partners/v1/openapi.json");

        Assert.Contains("\"/api/partners/v1/orders\"", json);
        Assert.Contains("\"/api/partners/v1/orders/{id}/confirm\"", json);
        Assert.Contains("X-Api-Key", json);
        Assert.Contains("multipart/form-data", json);
        Assert.Contains("Idempotency-Key", json);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "partners-openapi.json"), json);
        Assert.DoesNotContain("/account/login", json);
    }
}
