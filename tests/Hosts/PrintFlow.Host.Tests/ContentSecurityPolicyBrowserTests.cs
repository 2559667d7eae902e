using Microsoft.Playwright;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>Every kind of page in Chromium under the Content-Security-Policy the host sends: nothing it needs is refused.</summary>
[Trait("Category", "Browser")]
public sealed class ContentSecurityPolicyBrowserTests : BrowserTest
{
    [Theory]
    [InlineData("customer@printflow.local", "/orders")]
    [InlineData("operator@printflow.local", "/mes")]
    [InlineData("supervisor@printflow.local", "/ops")]
    [InlineData("sales@printflow.local", "/crm")]
    public async Task Pages_WhenSignedIn_BreakNoPolicyRule(string email, string path)
    {
        var page = await SignedInPageAsync(email, path);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (refused) { refused.Add(message.Text); }
            }
        };
        page.PageError += (_, error) => { lock (refused) { refused.Add(error); } };

        await page.ReloadAsync(new PageReloadOptions { WaitUntil = WaitUntilState.Load });
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        // Scripts ran: live.js marks the elements it attached to (every one of these pages has a live part).
        await Assertions.Expect(page.Locator("[data-live-attached='1']").First).ToBeAttachedAsync();

        lock (refused)
        {
            Assert.Empty(refused);
        }
    }

    [Fact]
    public async Task MesPage_WithTheStylesheetMovedOutOfLine_IsStyled()
    {
        var page = await SignedInPageAsync("operator@printflow.local", "/mes");

        // Retried until it holds: the stylesheet may still be loading, and live.js may swap the fragment meanwhile.
        await Assertions.Expect(page.Locator(".stage-counts").First).ToHaveCSSAsync("display", "flex");
    }
}
