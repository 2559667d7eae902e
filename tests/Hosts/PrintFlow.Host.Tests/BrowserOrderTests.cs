using Microsoft.Playwright;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// A customer and an operator in Debian's Chromium at once: the customer places and confirms an order in the shop;
/// the operator's open MES page shows the new job without a reload.
/// </summary>
public sealed class BrowserOrderTests : IAsyncLifetime
{
    private static readonly PageWaitForFunctionOptions Patience = new() { Timeout = 30_000 };
    private readonly PrintFlowHost _host = new();
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        _baseUrl = _host.StartKestrel();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [Fact]
    public async Task ShopOrder_WhenConfirmed_AppearsOnAnOpenOperatorPageWithoutReload()
    {
        var operatorPage = await SignedInPageAsync("operator@printflow.local", "/mes");
        await operatorPage.WaitForSelectorAsync("[data-live-connected='1']", new() { Timeout = 30_000 });
        await operatorPage.EvaluateAsync("() => window.__notReloaded = true");

        var customerPage = await SignedInPageAsync("customer@printflow.local", "/");
        await customerPage.SetInputFilesAsync("[data-testid=model-file]", new FilePayload
        {
            Name = "gear.stl",
            MimeType = "model/stl",
            Buffer = StlFiles.BinaryCube(30),
        });
        await customerPage.SelectOptionAsync("[data-testid=material]", "PETG");
        await customerPage.FillAsync("[data-testid=quantity]", "2");
        await customerPage.ClickAsync("[data-testid=place-order]");
        await customerPage.WaitForURLAsync("**/orders/*");
        var orderNumber = (await customerPage.TextContentAsync("[data-testid=order-number]"))!.Trim();

        // The quote arrives on the open order page by itself.
        await customerPage.EvaluateAsync("() => window.__notReloaded = true");
        await customerPage.WaitForFunctionAsync(
            "() => document.querySelector('[data-testid=order-status]')?.textContent.trim() === 'Quoted'", null, Patience);
        Assert.True(await customerPage.EvaluateAsync<bool>("() => window.__notReloaded === true"));
        Assert.False(string.IsNullOrWhiteSpace(await customerPage.TextContentAsync("[data-testid=quote-total]")));

        await customerPage.ClickAsync("[data-testid=confirm-quote]");
        await customerPage.WaitForFunctionAsync(
            "() => ['Confirmed', 'ManufacturingApproved'].includes(document.querySelector('[data-testid=order-status]')?.textContent.trim())",
            null, Patience);

        await operatorPage.WaitForFunctionAsync(
            $"() => document.querySelector(\"[data-testid=mes-job-row][data-order-number='{orderNumber}']\") !== null", null, Patience);
        Assert.True(await operatorPage.EvaluateAsync<bool>("() => window.__notReloaded === true"));
    }

    private async Task<IPage> SignedInPageAsync(string email, string path)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _baseUrl.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", "demo-password");
        await page.ClickAsync("[data-testid=login-form] button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
        await page.GotoAsync(path);
        return page;
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _host.Dispose();
    }
}
