using Microsoft.Playwright;
using PrintFlow.Testing;
using Xunit.Abstractions;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The tour's pages on a 390 px wide phone: nothing wider than the screen (tables scroll inside their own box); and the
/// screenshots of the storefront, cart, 3D preview and order page at phone and desktop width (artifacts/screenshots/).
/// </summary>
[Trait("Category", "Browser")]
public sealed class PhoneLayoutBrowserTests(ITestOutputHelper output) : PageTour
{
    private const int PhoneWidth = 390;

    /// <summary>The page's width, the elements that stick out past the screen, and the tables wider than the screen that do not scroll in a box of their own.</summary>
    private const string Measure =
        """
        limit => {
            const describe = e => e.tagName.toLowerCase() + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '')
                + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
            const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
                if (p === document.body) return false;
                const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
            const wide = [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > limit + 1 && !scrolls(e))
                .map(e => `${describe(e)} (${Math.round(e.getBoundingClientRect().right)} px)`);
            const tables = [...document.querySelectorAll('table')]
                .filter(t => t.getBoundingClientRect().right > limit + 1 && !scrolls(t)).map(describe);
            return { width: document.documentElement.scrollWidth, wide: wide.slice(0, 12), tables };
        }
        """;

    [Theory]
    [InlineData("ru-RU")]
    [InlineData("en-US")]
    public async Task Pages_OnA390PixelPhone_HaveNoHorizontalOverflow(string locale)
    {
        var failures = new List<string>();
        var phone = new BrowserNewContextOptions
        {
            Locale = locale, ViewportSize = new() { Width = PhoneWidth, Height = 844 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true,
        };
        await TourAsync(phone, async (page, stop) =>
        {
            var json = await page.EvaluateAsync<System.Text.Json.JsonElement>(Measure, PhoneWidth);
            var measured = new Measured(json.GetProperty("width").GetInt32(),
                [.. json.GetProperty("wide").EnumerateArray().Select(e => e.GetString()!)],
                [.. json.GetProperty("tables").EnumerateArray().Select(e => e.GetString()!)]);
            if (measured.Width > PhoneWidth || measured.Tables.Length > 0)
            {
                failures.Add($"{stop} [{locale}] is {measured.Width} px wide; sticking out: {string.Join(", ", measured.Wide)}; "
                    + $"tables not scrolling in their own box: {string.Join(", ", measured.Tables)}");
                output.WriteLine(failures[^1]); // seen even when a later page of the tour cannot be reached
            }

            if (stop == "order-page"
                && await page.GetByTestId("order-items").EvaluateAsync<int>("t => t.scrollWidth - t.clientWidth") is > 1 and var hidden)
            {
                failures.Add($"order-page [{locale}]: the items table hides {hidden} px to scroll sideways; each item should read on the screen");
            }

            if (locale == "en-US")
            {
                await SaveAsync(page, stop, "phone");
            }
        });

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Pages_OnADesktop_AreSavedAsScreenshots()
    {
        var desktop = new BrowserNewContextOptions { Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 800 } };
        await TourAsync(desktop, (page, stop) => SaveAsync(page, stop, "desktop"));

        foreach (var name in new[] { "storefront", "cart", "preview", "order-page" })
        {
            Assert.True(File.Exists(Path.Combine(Screenshots.Folder, $"{name}-desktop.png")), $"{name}-desktop.png was not saved");
        }
    }

    /// <summary>The storefront, the cart (and its first 3D preview once drawn) and the order page, named {page}-{device}.png.</summary>
    private static async Task SaveAsync(IPage page, string stop, string device)
    {
        if (stop is "storefront" or "cart" or "order-page")
        {
            await Screenshots.SaveAsync(page, $"{stop}-{device}");
        }

        if (stop == "cart")
        {
            var preview = page.GetByTestId("model-preview").First;
            await Assertions.Expect(preview).ToHaveAttributeAsync("data-preview-state", "shown");
            await Screenshots.SaveAsync(page.Locator("[data-testid=cart-item] figure").First, $"preview-{device}");
        }
    }

    private sealed record Measured(int Width, string[] Wide, string[] Tables);
}
