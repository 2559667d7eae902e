using System.Net;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

/// <summary>The partner API against the whole embedded system: Ordering prices through Pricing and hands over to MES.</summary>
[Collection(PartnersCollection.Name)]
public sealed class EndToEndTests(PartnersFixture fixture)
{
    [Fact]
    public async Task Order_WhenQuotedAndConfirmed_GoesToManufacturing()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);

        var quoted = await Eventually.UntilAsync(
            () => PartnerApi.GetOrderAsync(fixture.Demo, created.Id), o => o.Status == "Quoted", "the order is quoted");
        Assert.NotNull(quoted.Quote);
        Assert.True(quoted.Quote.Amount > 0);
        Assert.NotEmpty(quoted.Quote.Lines);

        using var confirm = await fixture.Demo.PostAsync($"{PartnerApi.Orders}/{created.Id}/confirm", null);
        Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);

        var confirmed = await Eventually.UntilAsync(
            () => PartnerApi.GetOrderAsync(fixture.Demo, created.Id),
            o => o.History.Any(h => h.Status == "Confirmed"), "the order is confirmed");
        Assert.Equal(["Submitted", "PriceCalculating", "Quoted", "Confirmed"], confirmed.History.Select(h => h.Status).Take(4));
        Assert.Null(confirmed.Message);
    }

    [Fact]
    public async Task Order_WhenQuoteBelowPartnersLimit_IsConfirmedWithoutAsking()
    {
        var partner = await PartnerApi.CreatePartnerAsync(fixture.Host, "Autopilot Parts BV", autoConfirmBelow: 100_000m);
        using var client = PartnerApi.ClientWithKey(fixture.Host, partner.ApiKey);
        var created = await PartnerApi.CreateOrderAsync(client);

        await Eventually.UntilAsync(
            () => PartnerApi.GetOrderAsync(client, created.Id),
            o => o.History.Any(h => h.Status == "Confirmed"), "the order is confirmed automatically");

        var submitted = Assert.IsType<OrderSubmitted>(Assert.Single(await PartnerApi.PublishedAsync(fixture.Host, created.Id)));
        Assert.Equal(100_000m, submitted.AutoConfirmBelow);
    }
}
