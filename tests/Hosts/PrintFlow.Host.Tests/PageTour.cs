using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// A walk through the pages buyers and staff use most, each reached the way a person reaches it: the empty storefront,
/// a cart with two priced models, the storefront with that cart, the order placed from it, the customer's orders and
/// account, the MES queue and floor (an operator) and the CRM list (sales). Each page is handed to a check as it stands.
/// </summary>
public abstract class PageTour : BrowserTest
{
    private static readonly LocatorAssertionsToHaveAttributeOptions Soon = new() { Timeout = 30_000 };

    /// <summary>Pages of the tour, named as the screenshots and failure messages name them.</summary>
    public static readonly string[] Stops =
        ["storefront", "cart", "storefront-with-cart", "order-page", "orders", "account", "mes-queue", "mes-floor", "crm"];

    /// <summary>Walks the tour with contexts made from <paramref name="options"/> (locale, viewport), calling <paramref name="atEachStop"/> on each page.</summary>
    protected async Task TourAsync(BrowserNewContextOptions options, Func<IPage, string, Task> atEachStop)
    {
        var anonymous = await NewPageAsync(options);
        await anonymous.GotoAsync("/");
        await Assertions.Expect(anonymous.GetByTestId("quote-form")).ToBeVisibleAsync();
        await atEachStop(anonymous, "storefront");

        var customer = await SignInAsync(options, "customer@printflow.local", "/");
        var cartUrl = await PricedCartOfTwoAsync(customer);
        await atEachStop(customer, "cart");
        await customer.GotoAsync("/");
        await Assertions.Expect(customer.GetByTestId("current-cart-link")).ToBeVisibleAsync();
        await atEachStop(customer, "storefront-with-cart");

        await customer.GotoAsync(cartUrl);
        await OrderTheCartAsync(customer);
        var orderUrl = customer.Url;
        await atEachStop(customer, "order-page");
        await customer.GotoAsync("/orders");
        await atEachStop(customer, "orders");
        await customer.GotoAsync("/account");
        await atEachStop(customer, "account");

        // Confirmed, the order reaches the factory: the operator's queue then has a row to check, not only its empty state.
        await customer.GotoAsync(orderUrl);
        await customer.GetByTestId("confirm-quote").ClickAsync();
        var operatorPage = await SignInAsync(options, "operator@printflow.local", "/mes");
        await Assertions.Expect(operatorPage.GetByTestId("mes-job-row")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await atEachStop(operatorPage, "mes-queue");
        await operatorPage.GotoAsync("/mes/floor");
        await Assertions.Expect(operatorPage.GetByTestId("mes-floor-live")).ToBeVisibleAsync();
        await atEachStop(operatorPage, "mes-floor");

        var sales = await SignInAsync(options, "sales@printflow.local", "/crm");
        await atEachStop(sales, "crm");
    }

    /// <summary>A page in a context of its own (own cookies) that lets injected test scripts past the site's CSP.</summary>
    protected async Task<IPage> NewPageAsync(BrowserNewContextOptions options)
    {
        options.BaseURL = Address.ToString();
        options.BypassCSP = true;
        var context = await Browser.NewContextAsync(options);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the real /login form and lands on <paramref name="path"/>.</summary>
    protected async Task<IPage> SignInAsync(BrowserNewContextOptions options, string email, string path)
    {
        var page = await NewPageAsync(options);
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(path)}");
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", "demo-password");
        await page.ClickAsync("[data-testid=login-form] button[type=submit]");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Uploads two cubes from the storefront and waits until both are priced and drawn; returns the cart's address.</summary>
    protected static async Task<string> PricedCartOfTwoAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.GetByTestId("quote-files").SetInputFilesAsync(
        [
            new FilePayload { Name = "bracket.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(40) },
            new FilePayload { Name = "spacer.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(25) },
        ]);
        await page.GetByTestId("quote-upload").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cart-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("cart")).ToHaveAttributeAsync("data-priced", "1", Soon);
        await Assertions.Expect(page.GetByTestId("item-price")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=model-preview][data-preview-state]")).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        return page.Url;
    }

    private static async Task OrderTheCartAsync(IPage page)
    {
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await page.GetByTestId($"address-{name}").FillAsync(value);
        }

        await page.GetByTestId("place-order").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex("^PF-"));
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", Soon);
        await page.ReloadAsync(); // the item prices are in the static part of the page
        await Assertions.Expect(page.GetByTestId("order-item-price").Filter(new() { HasTextRegex = new Regex(@"\d") })).ToHaveCountAsync(2);
    }
}
