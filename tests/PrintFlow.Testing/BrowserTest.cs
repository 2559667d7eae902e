using Microsoft.Playwright;
using Xunit;

namespace PrintFlow.Testing;

/// <summary>
/// A browser test: the real embedded host on a free loopback port and Debian's Chromium, both started for each test
/// class instance and stopped after it.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    /// <summary>Settings for tests of the storefront that asks for an account before any price (the ShopInstantQuote flag off).</summary>
    public static readonly IDictionary<string, string?> SignInFirstStorefront =
        new Dictionary<string, string?> { ["FeatureManagement:ShopInstantQuote"] = "false" };

    private IPlaywright _playwright = default!;
    private readonly int _port;

    protected BrowserTest()
        : this(null)
    {
    }

    /// <param name="settings">The host's configuration on top of the test defaults.</param>
    /// <param name="port">The loopback port to serve on (0: a free one), for settings that must name the address beforehand.</param>
    protected BrowserTest(IDictionary<string, string?>? settings, int port = 0)
    {
        Host = new PrintFlowHost(settings);
        _port = port;
    }

    protected PrintFlowHost Host { get; }
    protected IBrowser Browser { get; private set; } = default!;
    protected Uri Address { get; private set; } = default!;

    public virtual async Task InitializeAsync()
    {
        // The whole system shares two cores with the other test projects: give pages time.
        Assertions.SetDefaultExpectTimeout(20_000);
        Address = Host.StartKestrel(_port);
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    /// <summary>A page of its own (own cookies), signed in through the real /login form and landed on <paramref name="path"/>.</summary>
    protected async Task<IPage> SignedInPageAsync(string email, string path, string password = "demo-password")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), Locale = Chromium.Locale });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(path)}");
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", password);
        await page.ClickAsync("[data-testid=login-form] button[type=submit]");
        // Wait for what the signed-in page shows, not for navigation lifecycle events (those raced under load).
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        return page;
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        Host.Dispose();
    }
}
