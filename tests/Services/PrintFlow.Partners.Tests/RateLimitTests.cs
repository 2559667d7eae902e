using System.Net;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class RateLimitTests(PartnersFixture fixture)
{
    [Fact]
    public async Task ListOrders_WhenOverThePartnersLimit_Returns429WithRetryAfter()
    {
        var partner = await PartnerApi.CreatePartnerAsync(fixture.Host, "Busy Bee Prints", requestsPerMinute: 3);
        using var client = PartnerApi.ClientWithKey(fixture.Host, partner.ApiKey);
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync(PartnerApi.Orders);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await client.GetAsync(PartnerApi.Orders);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate-limited", await PartnerApi.ProblemCodeAsync(limited));
        var retryAfter = limited.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task RateLimit_OfOnePartner_DoesNotLimitAnother()
    {
        var busy = await PartnerApi.CreatePartnerAsync(fixture.Host, "Greedy Gadgets", requestsPerMinute: 1);
        using var busyClient = PartnerApi.ClientWithKey(fixture.Host, busy.ApiKey);
        using (await busyClient.GetAsync(PartnerApi.Orders))
        using (var limited = await busyClient.GetAsync(PartnerApi.Orders))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        using var other = await fixture.Demo.GetAsync(PartnerApi.Orders);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
