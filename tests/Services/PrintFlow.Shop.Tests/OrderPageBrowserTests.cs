using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The storefront and order page in Chromium against the whole embedded system on a real port.</summary>
[Trait("Category", "Browser")]
public sealed class OrderPageBrowserTests() : BrowserTest(SignInFirstStorefront)
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
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status",
            new System.Text.RegularExpressions.Regex("^(Confirmed|ManufacturingApproved)$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("order-history")).ToContainTextAsync("Price ready");
    }

    [Fact]
    public async Task OrderPage_ShowsEachModelIn3D_WithTheFacesThatNeedSupportMarked()
    {
        var page = await SignedInPageAsync();
        var order = await PlaceOrderAsync(page, "table.stl", StlFiles.Table());

        var preview = page.GetByTestId("model-preview");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-preview-state", "shown");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-preview-triangles", "24");
        // Seen from above the part shows; turned with the keyboard to look from below, the top's underside shows in orange.
        var fromAbove = await ColoursAsync(page);
        Assert.True(fromAbove[0] > 500, $"the part covers {fromAbove[0]} pixels");
        await Screenshots.SaveAsync(page, "order-page-preview");
        await preview.FocusAsync();
        for (var i = 0; i < 10; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        await page.Keyboard.PressAsync("+");
        await Assertions.Expect(preview).ToHaveAttributeAsync("data-preview-view", new System.Text.RegularExpressions.Regex("pitch=-"));
        var fromBelow = await ColoursAsync(page);
        Assert.True(fromBelow[0] > 500, $"the part covers {fromBelow[0]} pixels");
        Assert.True(fromBelow[1] > 50, $"the support marking covers {fromBelow[1]} pixels");
        Assert.NotNull(order);
    }

    /// <summary>The drawn canvas read back: how many pixels show the part's grey-blue and the support orange.</summary>
    private static Task<int[]> ColoursAsync(IPage page) =>
        page.EvaluateAsync<int[]>("""
            () => {
              const source = document.querySelector('[data-testid=model-preview] canvas');
              const copy = document.createElement('canvas');
              copy.width = source.width; copy.height = source.height;
              const context = copy.getContext('2d');
              context.drawImage(source, 0, 0);
              const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
              let part = 0, support = 0;
              for (let i = 0; i < pixels.length; i += 4) {
                const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
                if (r > b + 60 && r > g + 20) support++;
                else if (b > r + 40) part++;
              }
              return [part, support];
            }
            """);

    private static async Task<string> PlaceOrderAsync(IPage page, string fileName, byte[] model)
    {
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await page.GetByTestId($"address-{name}").FillAsync(value);
        }

        await page.GetByTestId("model-file").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "model/stl", Buffer = model });
        await page.GetByTestId("place-order").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-number")).ToBeVisibleAsync();
        return await page.GetByTestId("order-number").InnerTextAsync();
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var page = await SignedInPageAsync(Email, "/");
        await Assertions.Expect(page.GetByTestId("upload-form")).ToBeVisibleAsync();
        return page;
    }
}
