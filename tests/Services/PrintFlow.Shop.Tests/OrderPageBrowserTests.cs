using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The storefront and order page in Chromium against the whole embedded system on a real port.</summary>
[Trait("Category", "Browser")]
public sealed class OrderPageBrowserTests : BrowserTest
{
    private const string Email = "customer@printflow.local";
    private static readonly LocatorAssertionsToHaveTextOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task OrderPage_WhenStatusEventArrives_ShowsItWithoutReload()
    {
        var page = await SignedInPageAsync();
        var order = await Host.SeedOrderAsync(Email);
        await page.GotoAsync($"/orders/{order.Id}");
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Submitted");
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        await Host.DispatchAsync("shop", ShopData.Status(order, OrderStatus.Quoted, 3, ShopData.Quote(30m)));

        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("quote-total")).ToHaveTextAsync("30.00 EUR");
        await Assertions.Expect(page.GetByTestId("confirm-quote")).ToBeVisibleAsync();
        Assert.Equal(0, navigations);
    }

    [Fact]
    public async Task Storefront_UploadingAnStl_PlacesTheOrderWhichGetsQuotedAndConfirmed()
    {
        var page = await SignedInPageAsync();
        await page.GetByTestId("material").SelectOptionAsync("PETG");
        await page.GetByTestId("quantity").FillAsync("2");
        await page.GetByTestId("lead-time").SelectOptionAsync("Express");
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await page.GetByTestId($"address-{name}").FillAsync(value);
        }

        await page.GetByTestId("model-file").SetInputFilesAsync(new FilePayload
        {
            Name = "cube.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(20),
        });

        await page.GetByTestId("place-order").ClickAsync();

        await Assertions.Expect(page.GetByTestId("order-number")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^PF-"));
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", new() { Timeout = 20_000 });
        await page.GetByTestId("confirm-quote").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync(
            "data-status", new System.Text.RegularExpressions.Regex("^(Confirmed|ManufacturingApproved)$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("order-history")).ToContainTextAsync("Price ready");
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await SignedInPageAsync(Email, "/");
        await Assertions.Expect(page.GetByTestId("upload-form")).ToBeVisibleAsync();
        return page;
    }
}
