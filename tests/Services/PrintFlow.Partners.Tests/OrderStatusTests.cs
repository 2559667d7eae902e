using System.Net.Http.Json;
using PrintFlow.Contracts;
using PrintFlow.Partners.Endpoints;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class OrderStatusTests(PartnersFixture fixture)
{
    private const int V = PartnerApi.TestVersionBase;

    [Fact]
    public async Task GetOrder_AfterStatusChanges_ShowsLatestStatusQuoteAndHistory()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        var quote = PartnerApi.Quote(42.50m);

        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.PriceCalculating, V + 1));
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Quoted, V + 2, quote));

        var order = await PartnerApi.GetOrderAsync(fixture.Demo, created.Id);
        Assert.Equal("Quoted", order.Status);
        Assert.NotNull(order.Quote);
        Assert.Equal(quote.QuoteId, order.Quote.Id);
        Assert.Equal(42.50m, order.Quote.Amount);
        Assert.Equal("EUR", order.Quote.Currency);
        Assert.Equal(["cube.stl, PLA × 2", "Standard lead time"], order.Quote.Lines.Select(l => l.Description));
        Assert.Equal(["PriceCalculating", "Quoted"], order.History.TakeLast(2).Select(h => h.Status));
        Assert.Null(order.Message);
    }

    [Fact]
    public async Task GetOrder_WhileTheEstimateIsBeingRefined_SaysSoUntilTheExactQuoteReplacesIt()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        var until = DateTimeOffset.UtcNow.AddMinutes(2);
        var estimate = PartnerApi.Quote(42.50m) with { Mode = "estimate", RefiningUntil = until };
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Quoted, V + 2, estimate));

        var refining = (await PartnerApi.GetOrderAsync(fixture.Demo, created.Id)).Quote!;
        Assert.True(refining.PriceRefining);
        Assert.Equal(until.ToUnixTimeMilliseconds(), refining.RefiningUntil!.Value.ToUnixTimeMilliseconds());

        var exact = PartnerApi.Quote(44.10m) with { Mode = "exact" };
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Quoted, V + 3, exact));

        var refined = (await PartnerApi.GetOrderAsync(fixture.Demo, created.Id)).Quote!;
        Assert.Equal((exact.QuoteId, "exact", false, (DateTimeOffset?)null), (refined.Id, refined.Mode, refined.PriceRefining, refined.RefiningUntil));
    }

    [Fact]
    public async Task GetOrder_WhenTheRefiningDeadlinePassed_ShowsTheEstimateAsThePrice()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        var estimate = PartnerApi.Quote(42.50m) with { Mode = "estimate", RefiningUntil = DateTimeOffset.UtcNow.AddSeconds(-1) };
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Quoted, V + 2, estimate));

        var quote = (await PartnerApi.GetOrderAsync(fixture.Demo, created.Id)).Quote!;
        Assert.Equal((estimate.QuoteId, false, (DateTimeOffset?)null), (quote.Id, quote.PriceRefining, quote.RefiningUntil));
    }

    [Theory]
    [InlineData("en", "part.stl: PLA does not come in 'Gold'; choose one of Black, Red. The print quality 'Ultra' is not offered; choose one of Draft, Fine.")]
    [InlineData("ru", "part.stl: PLA не бывает цвета «Gold»; выберите один из: Black, Red. Качество печати «Ultra» не предлагается; выберите одно из: Draft, Fine.")]
    public async Task GetOrder_WhenPricingRefusedTheChoices_SaysWhyInTheCallersLanguageAndKeepsTheCodes(string language, string reason)
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        RejectionPart[] parts =
        [
            new("part.stl", "colour.unknown", "colour-unknown", ["PLA", "Gold", "Black, Red"]),
            new(null, "quality.unknown", "quality-unknown", ["Ultra", "Draft, Fine"]),
        ];
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Rejected, V + 2, reason: "Pricing's English.")
            with { ReasonParts = parts });

        var order = (await fixture.Demo.GetFromJsonAsync<OrderDetails>($"{PartnerApi.Orders}/{created.Id}?culture={language}"))!;

        var rejected = order.History[^1];
        Assert.Equal(("Rejected", reason), (rejected.Status, rejected.Reason));
        Assert.Equal(["colour.unknown", "quality.unknown"], rejected.ReasonCodes);
    }

    [Fact]
    public async Task GetOrder_WhenTheRejectionHasNoParts_ShowsTheReasonAsRecorded()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Rejected, V + 2, reason: "broken.stl could not be read."));

        var order = (await fixture.Demo.GetFromJsonAsync<OrderDetails>($"{PartnerApi.Orders}/{created.Id}?culture=ru"))!;

        Assert.Equal(("broken.stl could not be read.", (IReadOnlyList<string>?)null), (order.History[^1].Reason, order.History[^1].ReasonCodes));
    }

    [Fact]
    public async Task StatusChanged_WhenVersionNotNewer_IsIgnored()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Quoted, V + 3, PartnerApi.Quote()));

        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.PriceCalculating, V + 2));
        await PartnerApi.DispatchAsync(fixture.Host, PartnerApi.StatusChanged(created.Id, OrderStatus.Cancelled, V + 3, reason: "late duplicate"));

        var order = await PartnerApi.GetOrderAsync(fixture.Demo, created.Id);
        Assert.Equal("Quoted", order.Status);
        Assert.DoesNotContain(order.History, h => h.Status == "Cancelled");
    }

    [Fact]
    public async Task StatusChanged_ForShopOrder_DoesNotTouchPartnerOrders()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);
        var shopStatus = PartnerApi.StatusChanged(created.Id, OrderStatus.Cancelled, V + 5) with
        {
            Customer = new CustomerRef("c-1", "Shopper", "shopper@example.com", SalesChannel.Shop),
        };

        await PartnerApi.DispatchAsync(fixture.Host, shopStatus);

        Assert.NotEqual("Cancelled", (await PartnerApi.GetOrderAsync(fixture.Demo, created.Id)).Status);
    }

    [Fact]
    public async Task CommandRejected_WhenReceived_IsShownAsLastMessage()
    {
        var created = await PartnerApi.CreateOrderAsync(fixture.Demo);

        await PartnerApi.DispatchAsync(fixture.Host, new OrderCommandRejected(
            created.Id, "confirm", "quote.expired", "The quote expired; a new one is being calculated.", DateTimeOffset.UtcNow));

        var order = await PartnerApi.GetOrderAsync(fixture.Demo, created.Id);
        Assert.NotNull(order.Message);
        Assert.Equal("quote.expired", order.Message.Code);
        Assert.Equal("The quote expired; a new one is being calculated.", order.Message.Reason);
    }
}
