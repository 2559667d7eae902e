using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests;

[Trait("Category", "Browser")]
public sealed class LiveQueueBrowserTests : BrowserTest
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 15_000 };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Host.ReadyAsync();
    }

    [Fact]
    public async Task Queue_WhenAJobIsRequestedWhileOpen_ShowsItWithoutReloadAndTheOperatorTakesAndPrintsIt()
    {
        var page = await SignedInPageAsync(Browserless.Operator, "/mes", Browserless.Password);
        await Assertions.Expect(page.GetByTestId("mes-queue")).ToBeVisibleAsync(Visible);
        // The live region is subscribed once its event stream is open.
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var request = Jobs.Request(leadTime: LeadTime.Express, customer: "Live Customer");
        await Host.DispatchAsync(request);

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
        var published = await Host.PublishedAsync(request.OrderId);
        Assert.Equal([OrderStatus.ManufacturingApproved, OrderStatus.Printing], published.Select(p => p.Stage));
    }
}
