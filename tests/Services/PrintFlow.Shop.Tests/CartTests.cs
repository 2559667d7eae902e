using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Shop.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The instant-quote storefront with the ShopInstantQuote flag on (its default).</summary>
public sealed class CartHostFixture : PrintFlowHostFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["PrintFlow:MaxModelBytes"] = ShopHostFixture.MaxModelBytes.ToString() };
}

public sealed partial class CartTests(CartHostFixture fixture) : IClassFixture<CartHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task Upload_WhenAnonymousSendsTwoModels_KeepsThemUnderAnUnguessableTokenAndPricesBoth()
    {
        using var visitor = WebSession.Open(Host);

        var (cartPath, response) = await UploadAsync(visitor, ("a.stl", StlFiles.BinaryCube(30)), ("b.stl", StlFiles.BinaryCube(12)));

        Assert.Matches("^/cart/[A-Za-z0-9_-]{43}$", cartPath);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("printflow.cart=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var view = await PricedViewAsync(visitor, cartPath);
        Assert.Equal(2, Regex.Count(view, "data-testid=\"item-price\""));
        Assert.Contains("data-testid=\"cart-total\"", view);
        var hash = HashOf(cartPath);
        var cart = await Host.WithDbAsync(db => db.Carts.AsNoTracking().SingleAsync(c => c.TokenHash == hash));
        Assert.Equal(["Black", "Black"], cart.Items.Select(i => i.Colour));
        Assert.Equal(cart.Items.Sum(i => i.Price!.Amount!.Value) + cart.Pricing!.OrderLines.Sum(l => l.Amount), cart.Pricing.Total);
    }

    [Fact]
    public async Task ChangeItem_WhenQualityGoesFromDraftToFine_RaisesPrintTimeAndPrice()
    {
        using var visitor = WebSession.Open(Host);
        var (cartPath, _) = await UploadAsync(visitor, ("part.stl", StlFiles.BinaryCube(40)));
        var draft = await PriceAfterAsync(visitor, cartPath, "Draft");
        var fine = await PriceAfterAsync(visitor, cartPath, "Fine");

        Assert.True(fine.Hours > draft.Hours * 1.5, $"fine {fine.Hours} h vs draft {draft.Hours} h");
        Assert.True(fine.Amount > draft.Amount, $"fine {fine.Amount} vs draft {draft.Amount}");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("many")]
    public async Task ChangeItem_WhenQuantityIsNotAPositiveWholeNumber_IsRefusedWithASentenceAndChangesNothing(string quantity)
    {
        using var visitor = WebSession.Open(Host);
        var (cartPath, _) = await UploadAsync(visitor, ("part.stl", StlFiles.BinaryCube(10)));
        var before = await PricedViewAsync(visitor, cartPath);
        var itemId = ItemIdIn(before);

        using var response = await visitor.PostFormAsync($"/shop{cartPath}/items/{itemId}", WebSession.TokenIn(before),
            ("material", "PLA"), ("quality", "Standard"), ("quantity", quantity));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await visitor.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Equal("The quantity must be a whole number from 1 to 1000.", WebSession.TextOf(page, "item-error"));
        Assert.Contains("data-revision=\"1\"", page);
    }

    [Fact]
    public async Task Checkout_WhenTheQuoteExpired_SaysSoAndCreatesNoOrder()
    {
        using var buyer = WebSession.Open(Host);
        await buyer.RegisterAsync("Late Buyer");
        var (cartPath, _) = await UploadAsync(buyer, ("part.stl", StlFiles.BinaryCube(10)));
        var page = await PricedViewAsync(buyer, cartPath);
        var cartPage = await buyer.GetPageAsync(cartPath);
        var hash = HashOf(cartPath);
        await Host.WithDbAsync(async db =>
        {
            var cart = await db.Carts.SingleAsync(c => c.TokenHash == hash);
            db.Entry(cart).Property(c => c.ExpiresAt).CurrentValue = DateTimeOffset.UtcNow.AddSeconds(-1);
            return await db.SaveChangesAsync();
        });
        var ordersBefore = await Host.WithDbAsync(db => db.Orders.CountAsync());

        using var response = await buyer.PostFormAsync($"/shop{cartPath}/checkout", WebSession.TokenIn(cartPage), TestAddresses.Checkout);

        Assert.Equal(cartPath, response.Headers.Location!.OriginalString);
        using var expired = await buyer.Client.GetAsync(cartPath);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("This quote has expired or does not exist.", await expired.Content.ReadAsStringAsync());
        Assert.Equal(ordersBefore, await Host.WithDbAsync(db => db.Orders.CountAsync()));
        Assert.NotNull(page);
    }

    [Fact]
    public async Task Checkout_WhenSignedIn_SubmitsOneOrderWithEveryItemItsOptionsAndTheShipByDate()
    {
        using var buyer = WebSession.Open(Host);
        await buyer.RegisterAsync("Multi Buyer");
        var (cartPath, _) = await UploadAsync(buyer, ("a.stl", StlFiles.BinaryCube(30)), ("b.stl", StlFiles.BinaryCube(12)));
        await PricedViewAsync(buyer, cartPath);
        var cartPage = await buyer.GetPageAsync(cartPath);

        using var response = await buyer.PostFormAsync($"/shop{cartPath}/checkout", WebSession.TokenIn(cartPage), TestAddresses.Checkout);

        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/orders/", location);
        var orderId = Guid.Parse(location["/orders/".Length..]);
        var submitted = (await Host.OutboxAsync(m => m.CorrelationId == orderId))
            .Select(row => MessageSerializer.Deserialize(row.ToEnvelope())).OfType<OrderSubmitted>().Single();
        Assert.Equal(["a.stl", "b.stl"], submitted.Items.Select(i => i.FileName));
        Assert.All(submitted.Items, i => Assert.Equal(("Black", "Standard"), (i.Colour, i.Quality)));
        var hash = HashOf(cartPath);
        Assert.InRange(submitted.DueDate!.Value - submitted.SubmittedAt, TimeSpan.FromDays(9.99), TimeSpan.FromDays(10.01));
        Assert.Equal(0, await Host.WithDbAsync(db => db.Carts.CountAsync(c => c.TokenHash == hash)));
    }

    [Fact]
    public async Task Checkout_WhenTheEmailIsNotVerified_AsksToVerifyOffersANewLinkAndCreatesNothing()
    {
        using var buyer = WebSession.Open(Host);
        var email = await buyer.RegisterAsync("Unverified Buyer", verified: false);
        var (cartPath, _) = await UploadAsync(buyer, ("a.stl", StlFiles.BinaryCube(20)), ("b.stl", StlFiles.BinaryCube(12)));
        await PricedViewAsync(buyer, cartPath);
        var cartPage = await buyer.GetPageAsync(cartPath);
        Assert.Contains("data-testid=\"checkout-verify\"", cartPage);
        Assert.Contains("data-testid=\"checkout-resend-form\"", cartPage);
        Assert.DoesNotContain("data-testid=\"checkout-form\"", cartPage);

        // A checkout posted anyway (an old tab, a script) is refused before anything is created.
        using var refused = await buyer.PostFormAsync($"/shop{cartPath}/checkout", WebSession.TokenIn(cartPage), TestAddresses.Checkout);

        Assert.Equal($"{cartPath}?error=cart.email-not-verified#order", refused.Headers.Location!.OriginalString);
        Assert.Contains("Verify your email address to place this order", WebSession.TextOf(await buyer.GetPageAsync(refused.Headers.Location.OriginalString), "checkout-verify"));
        Assert.Equal(0, await Host.WithDbAsync(db => db.Orders.CountAsync(o => o.CustomerEmail == email)));
        var hash = HashOf(cartPath);
        Assert.Equal(1, await Host.WithDbAsync(db => db.Carts.CountAsync(c => c.TokenHash == hash)));
        Assert.Empty(await Host.WithDbAsync(db => db.Addresses.Where(a => db.Customers.Any(c => c.Id == a.CustomerId && c.Email == email)).ToListAsync()));

        using var resent = await buyer.PostFormAsync("/shop/account/verify-email/resend", WebSession.TokenIn(cartPage), ("cart", cartPath["/cart/".Length..]));

        Assert.Equal($"{cartPath}?done=verification-sent#order", resent.Headers.Location!.OriginalString);
        Assert.Equal("We sent you a new verification email.", WebSession.TextOf(await buyer.GetPageAsync(resent.Headers.Location.OriginalString), "checkout-done"));
        Assert.Equal(2, (await Mailbox.WaitAsync(Host, email, "verify-email", count: 2)).Count);
    }

    [Theory]
    [InlineData("//evil.example")]
    [InlineData("../account")]
    [InlineData("https://evil.example/cart")]
    public async Task ResendVerification_WhenTheCartFieldIsNotACartToken_ComesBackToTheAccountPage(string cart)
    {
        using var buyer = WebSession.Open(Host);
        await buyer.RegisterAsync("Odd Buyer", verified: false);
        var page = await buyer.GetPageAsync("/account");

        using var resent = await buyer.PostFormAsync("/shop/account/verify-email/resend", WebSession.TokenIn(page), ("cart", cart));

        Assert.Equal("/account?done=verification-sent", resent.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Checkout_OnceTheEmailIsVerified_TurnsTheSameCartIntoTheOrder()
    {
        using var buyer = WebSession.Open(Host);
        var email = await buyer.RegisterAsync("Later Verified", verified: false);
        var (cartPath, _) = await UploadAsync(buyer, ("a.stl", StlFiles.BinaryCube(20)), ("b.stl", StlFiles.BinaryCube(12)));
        await PricedViewAsync(buyer, cartPath);
        using (await buyer.PostFormAsync($"/shop{cartPath}/checkout", WebSession.TokenIn(await buyer.GetPageAsync(cartPath)), TestAddresses.Checkout))
        {
        }

        var link = Mailbox.LinkIn(Assert.Single(await Mailbox.WaitAsync(Host, email, "verify-email")), "/account/verify-email");
        var verifyPage = await buyer.GetPageAsync(link);
        using (var verified = await buyer.PostFormAsync("/shop/account/verify-email", WebSession.TokenIn(verifyPage),
            ("token", Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]))))
        {
            Assert.Equal("/account/verify-email?done=1", verified.Headers.Location!.OriginalString);
        }

        var cartPage = await buyer.GetPageAsync(cartPath);
        Assert.Contains("data-testid=\"checkout-form\"", cartPage);
        Assert.DoesNotContain("data-testid=\"checkout-verify\"", cartPage);
        using var response = await buyer.PostFormAsync($"/shop{cartPath}/checkout", WebSession.TokenIn(cartPage), TestAddresses.Checkout);

        Assert.StartsWith("/orders/", response.Headers.Location!.OriginalString);
        var order = await Host.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.CustomerEmail == email));
        Assert.Equal(["a.stl", "b.stl"], order.Items.Select(i => i.FileName).Order());
        var hash = HashOf(cartPath);
        Assert.Equal(0, await Host.WithDbAsync(db => db.Carts.CountAsync(c => c.TokenHash == hash)));
    }

    [Fact]
    public async Task Upload_WhenTheFlagIsOff_IsNotFound()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["FeatureManagement:ShopInstantQuote"] = "false" });
        using var visitor = WebSession.Open(host);
        var token = await visitor.TokenAsync("/register");
        using var response = await visitor.PostMultipartAsync("/shop/cart/items", token, ("models", "a.stl", StlFiles.BinaryCube(10)), ("material", "PLA"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"sign-in-link\"", await visitor.GetPageAsync("/"));
        Assert.DoesNotContain("data-testid=\"quote-form\"", await visitor.GetPageAsync("/"));
    }

    private static async Task<(string CartPath, HttpResponseMessage Response)> UploadAsync(WebSession session, params (string Name, byte[] Bytes)[] files)
    {
        var token = await session.TokenAsync("/");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new StringContent("PLA"), "material");
        form.Add(new StringContent("1"), "quantity");
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "models", name);
        }

        var response = await session.Client.PostAsync("/shop/cart/items", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (response.Headers.Location!.OriginalString, response);
    }

    private static Task<string> PricedViewAsync(WebSession session, string cartPath) =>
        Eventually.UntilAsync(() => session.GetPageAsync($"/shop{cartPath}/view"), view => view.Contains("data-priced=\"1\""), $"{cartPath} is priced");

    private async Task<(decimal Amount, double Hours)> PriceAfterAsync(WebSession session, string cartPath, string quality)
    {
        var view = await PricedViewAsync(session, cartPath);
        using var response = await session.PostFormAsync($"/shop{cartPath}/items/{ItemIdIn(view)}", WebSession.TokenIn(view),
            ("material", "PLA"), ("colour", "Black"), ("quality", quality), ("quantity", "1"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await PricedViewAsync(session, cartPath);
        var hash = HashOf(cartPath);
        var cart = await Host.WithDbAsync(db => db.Carts.AsNoTracking().SingleAsync(c => c.TokenHash == hash));
        var price = cart.Items.Single().Price!;
        return (price.Amount!.Value, price.PrintHours!.Value);
    }

    private static string HashOf(string cartPath) => Cart.HashOf(cartPath["/cart/".Length..]);

    private static Guid ItemIdIn(string view) => Guid.Parse(ItemIdPattern().Match(view).Groups[1].Value);

    [GeneratedRegex("data-item-id=\"([0-9a-f-]{36})\"")]
    private static partial Regex ItemIdPattern();
}
