using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests;

public sealed class LiveQueueBrowserTests : IAsyncLifetime
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 15_000 };
    private readonly PrintFlowHost _host = new();
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;
    private Uri _address = default!;

    public async Task InitializeAsync()
    {
        _address = _host.StartKestrel();
        await _host.ReadyAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _host.Dispose();
    }

    [Fact]
    public async Task Queue_WhenAJobIsRequestedWhileOpen_ShowsItWithoutReloadAndTheOperatorTakesAndPrintsIt()
    {
        var page = await _browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = _address.ToString() });
        await page.GotoAsync("/login?returnUrl=%2Fmes");
        await page.FillAsync("input[name=email]", Browserless.Operator);
        await page.FillAsync("input[name=password]", Browserless.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/mes");
        await Assertions.Expect(page.GetByTestId("mes-queue")).ToBeVisibleAsync(Visible);
        // The live region is subscribed once its event stream is open.
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var request = Jobs.Request(leadTime: LeadTime.Express, customer: "Live Customer");
        await _host.DispatchAsync(request);

        var orderNumber = OrderNumber.From(request.OrderId);
        var row = page.Locator($"[data-testid='mes-job-row'][data-order-number='{orderNumber}']");
        await Assertions.Expect(row).ToBeVisibleAsync(Visible);
        Assert.Equal(0, navigations);
        await Assertions.Expect(row.GetByTestId("job-stage")).ToHaveAttributeAsync("data-stage", "ManufacturingApproved");
        await Assertions.Expect(page.GetByTestId("stage-count-ManufacturingApproved")).ToContainTextAsync("1");

        await row.GetByTestId("job-action-Take").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mes-message")).ToHaveTextAsync($"You took order {orderNumber}.");
        row = page.Locator($"[data-testid='mes-job-row'][data-order-number='{orderNumber}']");
        await row.GetByTestId("job-action-Printing").ClickAsync();

        await Assertions.Expect(page.GetByTestId("mes-message")).ToHaveTextAsync($"Order {orderNumber} is now Printing.");
        await Assertions.Expect(page.Locator($"[data-testid='mes-job-row'][data-order-number='{orderNumber}']").GetByTestId("job-stage"))
            .ToHaveAttributeAsync("data-stage", "Printing");
        await Assertions.Expect(page.GetByTestId("stage-count-Printing")).ToContainTextAsync("1");
        var published = await _host.PublishedAsync(request.OrderId);
        Assert.Equal([OrderStatus.ManufacturingApproved, OrderStatus.Printing], published.Select(p => p.Stage));
    }
}
