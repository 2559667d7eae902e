using System.Net;
using System.Text.RegularExpressions;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Shop.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

public sealed class OrderTests(ShopHostFixture fixture) : IClassFixture<ShopHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task StatusChanged_WithNewerVersion_UpdatesOrderAndOlderVersionIsIgnored()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        var quote = ShopData.Quote(42.50m);

        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Quoted, 3, quote));
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.PriceCalculating, 2));

        var stored = await Host.OrderAsync(order.Id);
        Assert.Equal((OrderStatus.Quoted, 3), (stored!.Status, stored.Version));
        Assert.Equal(quote.QuoteId, stored.Quote!.QuoteId);
        Assert.Equal([OrderStatus.Submitted, OrderStatus.PriceCalculating, OrderStatus.Quoted], stored.History.Select(h => h.Status));
        var page = await session.Client.GetStringAsync($"/orders/{order.Id}");
        Assert.Contains("data-status=\"Quoted\">Price ready — waiting for your confirmation<", WebUtility.HtmlDecode(page));
        Assert.Contains("data-testid=\"quote-total\">42.50 EUR<", page);
        Assert.Contains("data-testid=\"confirm-quote\"", page);
    }

    [Theory]
    [InlineData("en", "PLA does not come in 'Gold'; choose one of Black, Red.")]
    [InlineData("ru", "PLA не бывает цвета «Gold»; выберите один из: Black, Red.")]
    public async Task OrderPage_WhenPricingRefusedTheColour_SaysWhyInTheReadersLanguage(string language, string sentence)
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        RejectionPart[] parts = [new("part.stl", "colour.unknown", "colour-unknown", ["PLA", "Gold", "Black, Red"])];
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Rejected, 2, reason: "part.stl: PLA does not come in 'Gold'; choose one of Black, Red.")
            with { ReasonParts = parts });

        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync($"/orders/{order.Id}?culture={language}"));

        var reason = Regex.Match(page, "data-testid=\"order-reason\">(?<text>[^<]*)<").Groups["text"].Value;
        Assert.EndsWith($"part.stl: {sentence}", reason, StringComparison.Ordinal);
        Assert.Contains($" · part.stl: {sentence}</li>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderPage_WhileTheEstimateIsBeingRefined_SaysSoUntilTheExactQuoteReplacesIt()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        var estimate = ShopData.Quote(42.50m) with { Mode = "estimate", RefiningUntil = DateTimeOffset.UtcNow.AddMinutes(2) };
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Quoted, 3, estimate));

        var page = await session.Client.GetStringAsync($"/orders/{order.Id}");
        Assert.Contains("data-testid=\"quote-refining\"", page);
        Assert.Contains("Price being refined", page);
        Assert.Contains("data-testid=\"confirm-quote\"", page); // confirming at the estimate stays possible

        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Quoted, 4, ShopData.Quote(44.10m) with { Mode = "exact" }));

        page = await session.Client.GetStringAsync($"/orders/{order.Id}");
        Assert.DoesNotContain("quote-refining", page);
        Assert.Contains("data-testid=\"quote-total\">44.10 EUR<", page);
    }

    [Fact]
    public async Task OrderPage_WhenTheRefiningDeadlinePassed_ShowsTheEstimateAsThePrice()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        var estimate = ShopData.Quote(42.50m) with { Mode = "estimate", RefiningUntil = DateTimeOffset.UtcNow.AddSeconds(-1) };
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Quoted, 3, estimate));

        var page = await session.Client.GetStringAsync($"/orders/{order.Id}");
        Assert.DoesNotContain("quote-refining", page);
        Assert.Contains("data-testid=\"quote-total\">42.50 EUR<", page);
    }

    [Fact]
    public async Task StatusChanged_ThatPassedEarlierTransitions_RecordsEachInTheHistory()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        var quote = ShopData.Quote(42.50m);
        var quoted = ShopData.Status(order, OrderStatus.Quoted, 3, quote);

        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Submitted, 1).FollowedBy(ShopData.Status(order, OrderStatus.PriceCalculating, 2)));
        await Host.DispatchAsync("shop", quoted.FollowedBy(ShopData.Status(order, OrderStatus.Confirmed, 4, quote)));

        var stored = await Host.OrderAsync(order.Id);
        Assert.Equal((OrderStatus.Confirmed, 4), (stored!.Status, stored.Version));
        // The shop recorded Submitted itself (version 0) when the customer placed the order.
        Assert.Equal([(0, OrderStatus.Submitted), (2, OrderStatus.PriceCalculating), (3, OrderStatus.Quoted), (4, OrderStatus.Confirmed)],
            stored.History.Select(h => (h.Version, h.Status)));
    }

    [Fact]
    public async Task StatusChanged_ForPartnerOrder_IsIgnored()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        var partnerStatus = ShopData.Status(order, OrderStatus.Quoted, 1) with
        {
            Customer = new CustomerRef("partner-1", "Acme", "ops@acme.test", SalesChannel.Partner),
        };

        await Host.DispatchAsync("shop", partnerStatus);

        Assert.Equal(OrderStatus.Submitted, (await Host.OrderAsync(order.Id))!.Status);
    }

    [Fact]
    public async Task Confirm_WhenQuoted_PublishesConfirmationRequestedWithQuoteId()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync();
        var order = await Host.SeedOrderAsync(email);
        var quote = ShopData.Quote(19.90m);
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Quoted, 3, quote));

        var response = await session.PostFormFromAsync($"/orders/{order.Id}", $"/shop/orders/{order.Id}/confirm", ("quoteId", quote.QuoteId.ToString()));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/orders/{order.Id}", response.Headers.Location!.OriginalString);
        var row = Assert.Single(await Host.OutboxAsync(m => m.CorrelationId == order.Id));
        var confirmation = Assert.IsType<OrderConfirmationRequested>(MessageSerializer.Deserialize(row.ToEnvelope()));
        Assert.Equal((order.Id, quote.QuoteId, email), (confirmation.OrderId, confirmation.QuoteId, confirmation.By));
        var page = await session.Client.GetStringAsync($"/orders/{order.Id}");
        Assert.DoesNotContain("data-testid=\"confirm-quote\"", page);
    }

    [Fact]
    public async Task Confirm_WhenNotQuoted_ShowsMessageAndPublishesNothing()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());

        var response = await session.PostFormFromAsync($"/orders/{order.Id}", $"/shop/orders/{order.Id}/confirm", ("quoteId", Guid.NewGuid().ToString()));

        Assert.Equal($"/orders/{order.Id}?error={OrderActionErrors.NotQuoted}", response.Headers.Location!.OriginalString);
        Assert.Empty(await Host.OutboxAsync(m => m.CorrelationId == order.Id));
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync(response.Headers.Location.OriginalString));
        Assert.True(page.Contains("data-testid=\"order-message\""), page);
        Assert.Contains("This order cannot be confirmed now: it is not waiting for your confirmation (status: Order received)", page);
    }

    [Fact]
    public async Task Cancel_BeforePrinting_PublishesCancellationRequested()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync();
        var order = await Host.SeedOrderAsync(email);
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.ManufacturingApproved, 5, ShopData.Quote(10m)));

        var response = await session.PostFormFromAsync($"/orders/{order.Id}", $"/shop/orders/{order.Id}/cancel");

        Assert.Equal($"/orders/{order.Id}", response.Headers.Location!.OriginalString);
        var row = Assert.Single(await Host.OutboxAsync(m => m.CorrelationId == order.Id));
        var cancellation = Assert.IsType<OrderCancellationRequested>(MessageSerializer.Deserialize(row.ToEnvelope()));
        Assert.Equal((order.Id, email), (cancellation.OrderId, cancellation.By));
    }

    [Fact]
    public async Task Cancel_WhenPrinting_ShowsMessageAndPublishesNothing()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());
        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Printing, 6, ShopData.Quote(10m)));

        var page = await session.Client.GetStringAsync($"/orders/{order.Id}");
        Assert.DoesNotContain("data-testid=\"cancel-order\"", page);
        var response = await session.PostFormFromAsync($"/orders/{order.Id}", $"/shop/orders/{order.Id}/cancel");

        Assert.Equal($"/orders/{order.Id}?error={OrderActionErrors.NotCancellable}", response.Headers.Location!.OriginalString);
        Assert.Empty(await Host.OutboxAsync(m => m.CorrelationId == order.Id));
        var refused = WebUtility.HtmlDecode(await session.Client.GetStringAsync(response.Headers.Location.OriginalString));
        Assert.Contains("can no longer be cancelled (status: Being printed)", refused);
    }

    [Fact]
    public async Task CommandRejected_ShowsReasonOnTheOrder()
    {
        var session = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await session.RegisterAsync());

        await Host.DispatchAsync("shop", new OrderCommandRejected(order.Id, "confirm", "quote.expired", "The quote has expired; we are pricing it again.", DateTimeOffset.UtcNow));

        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync($"/orders/{order.Id}"));
        Assert.Contains("The quote has expired; we are pricing it again.", page);
    }

    [Fact]
    public async Task OrderPage_OfAnotherCustomer_IsNotFound()
    {
        var owner = WebSession.Open(Host);
        var order = await Host.SeedOrderAsync(await owner.RegisterAsync());
        var other = WebSession.Open(Host);
        await other.RegisterAsync();

        var page = await other.Client.GetAsync($"/orders/{order.Id}");
        var fragment = await other.Client.GetAsync($"/shop/orders/{order.Id}/live");
        var cancel = await other.PostFormFromAsync("/", $"/shop/orders/{order.Id}/cancel");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain(order.Number, await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, fragment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync($"/orders/{order.Id}")).StatusCode);
    }

    [Fact]
    public async Task MyOrders_ListsOnlyMyOrdersNewestFirst()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync();
        var first = await Host.SeedOrderAsync(email);
        var second = await Host.SeedOrderAsync(email);
        var someoneElses = await Host.SeedOrderAsync(await WebSession.Open(Host).RegisterAsync());

        var page = await session.Client.GetStringAsync("/orders");

        Assert.True(page.IndexOf(second.Number, StringComparison.Ordinal) < page.IndexOf(first.Number, StringComparison.Ordinal));
        Assert.DoesNotContain(someoneElses.Number, page);
        var fragment = await session.Client.GetStringAsync("/shop/orders/list");
        Assert.Contains(first.Number, fragment);
        Assert.DoesNotContain(someoneElses.Number, fragment);
    }
}
