using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Notifications.Tests;

/// <summary>The development page, an email as its customer sees it, and the settings page, in Chromium under the site's CSP.</summary>
[Trait("Category", "Browser")]
public sealed class NotificationsBrowserTests : BrowserTest
{
    [Fact]
    public async Task EmailsPageAnEmailAndItsSettingsLink_ShowAndWorkWithoutBreakingThePolicy()
    {
        var story = OrderStory.NewCustomer();
        var order = Guid.CreateVersion7();
        await Host.DispatchAsync("notifications", story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(640m)));
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), Locale = Chromium.Locale });
        var page = await context.NewPageAsync();
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (refused) { refused.Add(message.Text); }
            }
        };

        await Eventually.UntilAsync(async () =>
        {
            await page.GotoAsync("/dev/notifications");
            return await page.GetByTestId("sent-email").CountAsync() == 1;
        }, "the stored email is listed");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(OrderNumber.From(order)) }).ClickAsync();
        await Assertions.Expect(page.GetByText("640,00 RUB")).ToBeVisibleAsync();
        var href = await page.GetByRole(AriaRole.Link, new() { NameString = "Не присылать необязательные письма (о начале производства и доставке)" })
            .GetAttributeAsync("href");
        // The link points at the configured public address; the same path on this host is what the customer reaches.
        await page.GotoAsync(new Uri(href!).PathAndQuery);
        await page.GetByTestId("unsubscribe").ClickAsync();

        await Assertions.Expect(page.GetByTestId("preferences-saved")).ToBeVisibleAsync();
        lock (refused)
        {
            Assert.Empty(refused);
        }
    }
}
