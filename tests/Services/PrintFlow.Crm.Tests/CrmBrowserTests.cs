using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

public sealed class CrmBrowserTests : IAsyncLifetime
{
    private readonly PrintFlowHost _host = new();
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;
    private Uri _address = default!;

    public async Task InitializeAsync()
    {
        // The whole system shares two cores with the other test projects: give pages time.
        Assertions.SetDefaultExpectTimeout(20_000);
        _address = _host.StartKestrel();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task CustomerTable_WhenOrderEventsArrive_RefreshesWithoutReload()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _address.ToString() });
        await page.GotoAsync("/login?returnUrl=%2Fcrm");
        await page.FillAsync("input[name=email]", "sales@printflow.local");
        await page.FillAsync("input[name=password]", "demo-password");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByTestId("crm-customers")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        var story = new OrderStory(new CustomerRef("live-partner", "Live Partner GmbH", "buyer@live.test", SalesChannel.Partner));
        var order = Guid.CreateVersion7();

        await _host.DispatchAsync("crm", story.Submitted(order));
        var row = page.GetByTestId("crm-customer-row").Filter(new() { HasText = "Live Partner GmbH" });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await _host.DispatchAsync("crm", story.Status(order, OrderStatus.Confirmed, 4, 250m, OrderStatus.Quoted));

        await Assertions.Expect(row.GetByTestId("crm-revenue")).ToHaveTextAsync("250.00 EUR", new() { Timeout = 15_000 });
        Assert.Equal(0, navigations);
    }
}
