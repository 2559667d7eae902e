using System.Net;
using System.Net.Http.Headers;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The shipping address at checkout: refused field by field, remembered in the address book, offered next time.</summary>
public sealed class CheckoutAddressTests(ShopHostFixture fixture) : IClassFixture<ShopHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task PlaceOrder_WithAMalformedAddress_ShowsEachFieldsReasonInBothLanguagesAndPublishesNothing()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync();

        var response = await PostAsync(session, ("recipient", "Ivan\u0007Petrov"), ("line1", ""), ("city", "Moscow"), ("postalCode", "12345"), ("country", "RU"), ("phone", "call me"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        foreach (var code in new[] { "address.recipient.control-characters", "address.line1.required", "address.postal-code.invalid", "address.phone.invalid" })
        {
            Assert.Contains($"error={code}", location, StringComparison.Ordinal);
        }

        var page = WebUtility.HtmlDecode(await session.GetPageAsync(location));
        Assert.Contains("Check the shipping address below.", page);
        Assert.Contains("data-testid=\"address-error-postalCode\" data-code=\"address.postal-code.invalid\"", page);
        Assert.Contains("Postal code: this is not a postal code of RU (for example 101000).", page);
        Assert.Contains("Address: this field is required.", page);
        Assert.Contains("value=\"Moscow\"", page); // what was typed comes back to be corrected
        Assert.Empty(await Host.OutboxAsync(m => m.Name.StartsWith("orders.", StringComparison.Ordinal) && m.Payload.Contains(email, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PlaceOrder_WithANewAddress_SavesItAndTheNextOrderCanPickIt()
    {
        var session = WebSession.Open(Host);
        await session.RegisterAsync();
        var first = await PostAsync(session, TestAddresses.Checkout);
        Assert.StartsWith("/orders/", first.Headers.Location!.OriginalString);

        var storefront = await session.GetPageAsync("/");
        var savedId = System.Text.RegularExpressions.Regex.Match(storefront, "<option value=\"([0-9a-f-]{36})\" selected").Groups[1].Value;
        Assert.Contains("Ivan Petrov, ul. Tverskaya 7, kv. 12, 125009 Moscow, RU", WebUtility.HtmlDecode(storefront));
        var second = await PostAsync(session, ("savedAddress", savedId));

        var orderId = Guid.Parse(second.Headers.Location!.OriginalString["/orders/".Length..]);
        var row = Assert.Single(await Host.OutboxAsync(m => m.CorrelationId == orderId));
        var submitted = Assert.IsType<OrderSubmitted>(MessageSerializer.Deserialize(row.ToEnvelope()));
        Assert.Equal(new ShippingAddress("Ivan Petrov", "ul. Tverskaya 7, kv. 12", null, "Moscow", null, "125009", "RU", null), submitted.ShipTo);
        var customerId = (await Host.OrderAsync(orderId))!.CustomerId;
        Assert.Single(await Host.WithDbAsync(db => Task.FromResult(db.Addresses.Where(a => a.CustomerId == customerId).ToList()))); // used again, not saved twice
    }

    [Fact]
    public async Task PlaceOrder_WithAnotherCustomersSavedAddress_IsRefused()
    {
        var owner = WebSession.Open(Host);
        await owner.RegisterAsync();
        await PostAsync(owner, TestAddresses.Checkout);
        var savedId = System.Text.RegularExpressions.Regex.Match(await owner.GetPageAsync("/"), "<option value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        var other = WebSession.Open(Host);
        await other.RegisterAsync();

        var response = await PostAsync(other, ("savedAddress", savedId));

        Assert.Equal("/?error=address.saved-unknown", response.Headers.Location!.OriginalString);
    }

    private static async Task<HttpResponseMessage> PostAsync(WebSession session, params (string Name, string Value)[] address)
    {
        var token = await session.TokenAsync("/");
        return await session.PostMultipartAsync("/shop/orders", token, ("model", "cube.stl", StlFiles.BinaryCube(11)),
            [("material", "PLA"), ("quantity", "1"), ("leadTime", "Standard"), .. address]);
    }
}
