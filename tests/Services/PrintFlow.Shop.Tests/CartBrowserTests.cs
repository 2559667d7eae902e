using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The instant-quote storefront in Chromium, as a new buyer meets it, against the whole embedded system.</summary>
[Trait("Category", "Browser")]
public sealed class CartBrowserTests : BrowserTest
{
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };

    [Fact]
    public async Task AnonymousVisitor_UploadsTwoModelsChangesOptionsRegistersAndOrders_GetsOneOrderWithBothItemsAndCanReorder()
    {
        var page = await AnonymousPageAsync();
        await page.GotoAsync("/");
        await Journey.UploadTwoModelsAsync(page);

        await Journey.PricedAsync(page);
        await Assertions.Expect(page.GetByTestId("item-price")).ToHaveCountAsync(2);
        var cube = page.Locator("[data-testid=cart-item][data-file-name='cube.stl']");
        await Assertions.Expect(cube.GetByTestId("item-size")).ToHaveTextAsync("Size: 40 × 40 × 40 mm");
        await Assertions.Expect(cube.GetByTestId("model-preview")).ToHaveAttributeAsync("data-model-url", new Regex("^/shop/models/preview/"));
        var standard = await Journey.AmountAsync(cube);

        // Colour first (a surcharge per part), then quality (layer height through the estimator): the price moves each time.
        await cube.GetByTestId("item-colour").SelectOptionAsync("Red");
        var red = await Journey.NewAmountAsync(page, cube, standard);
        Assert.True(red > standard, $"Red {red} should cost more than black {standard}.");
        await cube.GetByTestId("item-quality").SelectOptionAsync("Fine");
        var fine = await Journey.NewAmountAsync(page, cube, red);
        Assert.True(fine > red, $"Fine {fine} should cost more than standard {red}.");
        await Assertions.Expect(page.GetByTestId("lead-time-express")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("cart-summary")).ToContainTextAsync("Express: ships by");

        // Registering carries the quote over: no second upload.
        await page.GetByTestId("cart-register").ClickAsync();
        await page.FillAsync("input[name=displayName]", "New Buyer");
        var email = $"buyer-{Guid.NewGuid():N}@example.com";
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", "correct-horse-battery");
        await page.ClickAsync("[data-testid=register-form] button[type=submit]");

        // Back on the quote, which waits for the email address to be verified; the link in the email opens it up.
        await Assertions.Expect(page.GetByTestId("checkout-verify")).ToBeVisibleAsync();
        var cartUrl = page.Url;
        var link = Mailbox.LinkIn(Assert.Single(await Mailbox.WaitAsync(Host, email, "verify-email")), "/account/verify-email");
        await page.GotoAsync(link);
        await page.ClickAsync("[data-testid=verify-form] button[type=submit]");
        await Assertions.Expect(page.GetByTestId("verify-done")).ToBeVisibleAsync();
        await page.GotoAsync(cartUrl);
        await Assertions.Expect(page.GetByTestId("checkout-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("cart-item")).ToHaveCountAsync(2);
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await page.GetByTestId($"address-{name}").FillAsync(value);
        }

        await page.GetByTestId("place-order").ClickAsync();

        await Assertions.Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex("^PF-"));
        var firstOrder = await page.GetByTestId("order-number").TextContentAsync();
        await Assertions.Expect(page.GetByTestId("order-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("order-items")).ToContainTextAsync("cube.stl");
        await Assertions.Expect(page.GetByTestId("order-items")).ToContainTextAsync("block.stl");
        await Assertions.Expect(page.GetByTestId("order-items")).ToContainTextAsync("PLA · Red · Fine");
        await Assertions.Expect(page.GetByTestId("order-ship-by")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", SoonAttribute);
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted");
        await page.ReloadAsync(); // the item prices are in the static part of the page
        await Assertions.Expect(page.GetByTestId("order-item-price").Filter(new() { HasTextRegex = new Regex(@"\d") })).ToHaveCountAsync(2);

        await page.GetByTestId("reorder").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-number")).Not.ToHaveTextAsync(firstOrder!);
        await Assertions.Expect(page.GetByTestId("order-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", SoonAttribute);
        await Assertions.Expect(page.GetByTestId("quote-total")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Cart_WhenInputIsBad_ShowsAClearMessageForEachAndCreatesNothing()
    {
        var page = await AnonymousPageAsync();
        await page.GotoAsync("/");
        await page.GetByTestId("quote-files").SetInputFilesAsync(
        [
            new FilePayload { Name = "broken.stl", MimeType = "model/stl", Buffer = StlFiles.TruncatedBinary() },
            new FilePayload { Name = "hangar.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(400) },
            new FilePayload { Name = "cube.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(20) },
        ]);
        await page.GetByTestId("quote-upload").ClickAsync();
        await Journey.PricedAsync(page);

        var broken = page.Locator("[data-testid=cart-item][data-file-name='broken.stl']");
        await Assertions.Expect(broken.GetByTestId("item-rejection")).ToContainTextAsync("We could not read this file");
        var hangar = page.Locator("[data-testid=cart-item][data-file-name='hangar.stl']");
        await Assertions.Expect(hangar.GetByTestId("item-rejection")).ToContainTextAsync("larger than any of our printers");
        await Assertions.Expect(hangar.GetByTestId("item-size")).ToHaveTextAsync("Size: 400 × 400 × 400 mm");

        var cube = page.Locator("[data-testid=cart-item][data-file-name='cube.stl']");
        foreach (var quantity in new[] { "0", "-3" })
        {
            await cube.GetByTestId("item-quantity").FillAsync(quantity);
            await cube.GetByTestId("item-quantity").DispatchEventAsync("change");
            await Assertions.Expect(cube.GetByTestId("item-error")).ToHaveTextAsync("The quantity must be a whole number from 1 to 1000.");
        }

        // An order cannot be placed while an item cannot be printed; then the quote expires, and nothing is ordered.
        var hash = Domain.Cart.HashOf(new Uri(page.Url).AbsolutePath["/cart/".Length..]);
        await Host.WithDbAsync(async db =>
        {
            var cart = await db.Carts.SingleAsync(c => c.TokenHash == hash);
            db.Entry(cart).Property(c => c.ExpiresAt).CurrentValue = DateTimeOffset.UtcNow.AddMinutes(-1);
            return await db.SaveChangesAsync();
        });
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("cart-expired")).ToContainTextAsync("This quote has expired");
        Assert.Equal(0, await Host.WithDbAsync(db => db.Orders.CountAsync()));
    }

    private async Task<IPage> AnonymousPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString() });
        return await context.NewPageAsync();
    }
}
