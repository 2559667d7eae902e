using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

[Trait("Category", "Browser")]
public sealed class CrmBrowserTests : BrowserTest
{
    [Fact]
    public async Task CustomerTable_WhenOrderEventsArrive_RefreshesWithoutReload()
    {
        var page = await SignedInPageAsync("sales@printflow.local", "/crm");
        await Assertions.Expect(page.GetByTestId("crm-customers")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        var story = new OrderStory(new CustomerRef("live-partner", "Live Partner GmbH", "buyer@live.test", SalesChannel.Partner));
        var order = Guid.CreateVersion7();

        await Host.DispatchAsync("crm", story.Submitted(order));
        var row = page.GetByTestId("crm-customer-row").Filter(new() { HasText = "Live Partner GmbH" });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Confirmed, 4, 250m, OrderStatus.Quoted));

        await Assertions.Expect(row.GetByTestId("crm-revenue")).ToHaveTextAsync("250.00 EUR", new() { Timeout = 15_000 });
        Assert.Equal(0, navigations);
    }
}
