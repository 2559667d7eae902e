using System.Net;
using System.Net.Http.Json;
using PrintFlow.Partners.Endpoints;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class PartnerIsolationTests(PartnersFixture fixture)
{
    [Fact]
    public async Task GetOrder_WhenOrderBelongsToAnotherPartner_Returns404()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        var other = await PartnerApi.CreatePartnerAsync(fixture.Host, "Other Partner AG");
        using var otherClient = PartnerApi.ClientWithKey(fixture.Host, other.ApiKey);

        using var read = await otherClient.GetAsync($"{PartnerApi.Orders}/{created.Id}");
        using var confirm = await otherClient.PostAsync($"{PartnerApi.Orders}/{created.Id}/confirm", null);
        var list = (await otherClient.GetFromJsonAsync<OrderPage>(PartnerApi.Orders))!;

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal("order.not-found", await PartnerApi.ProblemCodeAsync(read));
        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task ListOrders_WithLimit_PagesNewestFirstWithoutGapsOrRepeats()
    {
        var partner = await PartnerApi.CreatePartnerAsync(fixture.Host, "Paging Prints Ltd");
        using var client = PartnerApi.ClientWithKey(fixture.Host, partner.ApiKey);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await PartnerApi.CreateOrderAsync(client, reference: $"R{i}")).Id);
        }

        var seen = new List<Guid>();
        string? next = $"{PartnerApi.Orders}?limit=2";
        while (next is not null)
        {
            var page = (await client.GetFromJsonAsync<OrderPage>(next))!;
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(o => o.Id));
            next = page.Next;
        }

        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task ListOrders_WithStatusFilter_ReturnsOnlyThatStatus()
    {
        var partner = await PartnerApi.CreatePartnerAsync(fixture.Host, "Filter Fabrication");
        using var client = PartnerApi.ClientWithKey(fixture.Host, partner.ApiKey);
        var quoted = await PartnerApi.CreateOrderAsync(client);
        await PartnerApi.CreateOrderAsync(client);
        await PartnerApi.DispatchAsync(fixture.Host,
            PartnerApi.StatusChanged(quoted.Id, Contracts.OrderStatus.Quoted, PartnerApi.TestVersionBase, PartnerApi.Quote()));

        var page = (await client.GetFromJsonAsync<OrderPage>($"{PartnerApi.Orders}?status=quoted"))!;
        using var invalid = await client.GetAsync($"{PartnerApi.Orders}?status=Lost");

        Assert.Equal(quoted.Id, Assert.Single(page.Items).Id);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("request.status-invalid", await PartnerApi.ProblemCodeAsync(invalid));
    }
}
