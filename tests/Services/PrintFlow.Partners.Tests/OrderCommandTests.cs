using System.Net;
using System.Net.Http.Json;
using PrintFlow.Contracts;
using PrintFlow.Partners.Endpoints;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class OrderCommandTests(PartnersFixture fixture)
{
    private const int V = PartnerApi.TestVersionBase;

    [Fact]
    public async Task Confirm_WhenNotQuoted_Returns409NotQuoted()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.PriceCalculating, V + 1));

        using var response = await fixture.Demo.PostAsync($"{PartnerApi.Orders}/{created.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await PartnerApi.ProblemAsync(response);
        Assert.Equal("order.not-quoted", problem.GetProperty("code").GetString());
        Assert.Contains("PriceCalculating", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(await PartnerApi.PublishedAsync(fixture.Host, created.Id), e => e is OrderConfirmationRequested);
    }

    [Fact]
    public async Task Confirm_WhenQuoted_Returns202AndPublishesConfirmationWithQuoteId()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        var quote = PartnerApi.Quote();
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Quoted, V + 2, quote));

        using var response = await fixture.Demo.PostAsync($"{PartnerApi.Orders}/{created.Id}/confirm", null);
        using var repeated = await fixture.Demo.PostAsync($"{PartnerApi.Orders}/{created.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal($"/api/partners/v1/orders/{created.Id}", response.Headers.Location?.OriginalString);
        var body = (await response.Content.ReadFromJsonAsync<CommandAccepted>())!;
        Assert.Equal("confirm", body.Command);
        var confirmation = Assert.Single((await PartnerApi.PublishedAsync(fixture.Host, created.Id)).OfType<OrderConfirmationRequested>());
        Assert.Equal(quote.QuoteId, confirmation.QuoteId);
        Assert.Equal("Demo Partner Ltd", confirmation.By);
    }

    [Fact]
    public async Task Cancel_WhenBeforePrinting_Returns202AndPublishesCancellation()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);

        using var response = await fixture.Demo.PostAsJsonAsync($"{PartnerApi.Orders}/{created.Id}/cancel", new { reason = "Customer withdrew" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var cancellation = Assert.Single((await PartnerApi.PublishedAsync(fixture.Host, created.Id)).OfType<OrderCancellationRequested>());
        Assert.Equal("Customer withdrew", cancellation.Reason);
    }

    [Fact]
    public async Task Cancel_WithoutBody_UsesDefaultReason()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);

        using var response = await fixture.Demo.PostAsync($"{PartnerApi.Orders}/{created.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single((await PartnerApi.PublishedAsync(fixture.Host, created.Id)).OfType<OrderCancellationRequested>());
    }

    [Fact]
    public async Task Cancel_WhenPrinting_Returns409NotCancellable()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Printing, V + 6));

        using var response = await fixture.Demo.PostAsync($"{PartnerApi.Orders}/{created.Id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("order.not-cancellable", await PartnerApi.ProblemCodeAsync(response));
        Assert.DoesNotContain(await PartnerApi.PublishedAsync(fixture.Host, created.Id), e => e is OrderCancellationRequested);
    }
}
