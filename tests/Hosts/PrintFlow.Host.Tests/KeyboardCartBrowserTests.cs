using System.Globalization;
using Microsoft.Playwright;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>The cart worked with the keyboard alone (Tab, arrow keys, Enter): every change reprices and keeps the focus.</summary>
[Trait("Category", "Browser")]
public sealed class KeyboardCartBrowserTests : PageTour
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Soon = new() { Timeout = 30_000 };

    [Fact]
    public async Task Cart_WithTheKeyboardOnly_ChangesEveryOptionRemovesAnItemAndSeesThePriceChange()
    {
        var page = await NewPageAsync(new BrowserNewContextOptions { Locale = "en-US" });
        await PricedCartOfTwoAsync(page);
        var bracket = page.Locator("[data-testid=cart-item][data-file-name='bracket.stl']");
        var price = await AmountAsync(bracket);

        foreach (var (control, key) in new[]
                 {
                     ("item-material", "ArrowDown"), ("item-colour", "End"), ("item-quality", "ArrowDown"), ("item-quantity", "ArrowUp"),
                 })
        {
            await TabToAsync(page, bracket, control);
            // The focus shows where the keyboard is (the browser's focus ring, which no stylesheet here turns off).
            Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
            await page.Keyboard.PressAsync(key);
            price = await NewAmountAsync(page, bracket, price, control);
            // The cart's markup was swapped for the new prices; the keyboard's place was not lost with it.
            Assert.Equal(control, await page.EvaluateAsync<string?>("() => document.activeElement?.dataset.testid"));
        }

        Assert.Equal("2", await bracket.GetByTestId("item-quantity").InputValueAsync());
        var total = await page.GetByTestId("cart-total").GetAttributeAsync("data-amount");
        var spacer = page.Locator("[data-testid=cart-item][data-file-name='spacer.stl']");
        await TabToAsync(page, spacer, "item-remove");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("cart-item")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("cart")).ToHaveAttributeAsync("data-priced", "1", Soon);
        await Assertions.Expect(page.GetByTestId("cart-total")).Not.ToHaveAttributeAsync("data-amount", total!, Soon);
    }

    /// <summary>Presses Tab until the focus is on <paramref name="testId"/> inside <paramref name="scope"/>, as a person without a mouse does.</summary>
    private static async Task TabToAsync(IPage page, ILocator scope, string testId)
    {
        var target = scope.GetByTestId(testId);
        for (var presses = 0; presses < 200; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {testId}: it is not in the keyboard's order.");
    }

    private static async Task<decimal> AmountAsync(ILocator item) =>
        decimal.Parse((await item.GetByTestId("item-price").GetAttributeAsync("data-amount"))!, CultureInfo.InvariantCulture);

    private static async Task<decimal> NewAmountAsync(IPage page, ILocator item, decimal before, string changed)
    {
        await Assertions.Expect(item.GetByTestId("item-price"))
            .Not.ToHaveAttributeAsync("data-amount", before.ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("cart")).ToHaveAttributeAsync("data-priced", "1", Soon);
        var after = await AmountAsync(item);
        Assert.True(after != before, $"Changing {changed} left the price at {before}.");
        return after;
    }
}
