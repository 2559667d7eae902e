using Microsoft.Playwright;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// A customer and an operator in Debian's Chromium at once: the customer places and confirms an order in the shop;
/// the operator's open MES page shows the new job without a reload.
/// </summary>
[Trait("Category", "Browser")]
public sealed class BrowserOrderTests : BrowserTest
{
    private static readonly PageWaitForFunctionOptions Patience = new() { Timeout = 30_000 };

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
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await customerPage.FillAsync($"[data-testid=address-{name}]", value);
        }

        await customerPage.ClickAsync("[data-testid=place-order]");
        await Assertions.Expect(customerPage.GetByTestId("order-number")).ToBeVisibleAsync();
        var orderNumber = (await customerPage.TextContentAsync("[data-testid=order-number]"))!.Trim();

        // The quote arrives on the open order page by itself.
        await customerPage.EvaluateAsync("() => window.__notReloaded = true");
        await customerPage.WaitForFunctionAsync(
            "() => document.querySelector('[data-testid=order-status]')?.dataset.status === 'Quoted'", null, Patience);
        Assert.True(await customerPage.EvaluateAsync<bool>("() => window.__notReloaded === true"));
        Assert.False(string.IsNullOrWhiteSpace(await customerPage.TextContentAsync("[data-testid=quote-total]")));

        await customerPage.ClickAsync("[data-testid=confirm-quote]");
        await customerPage.WaitForFunctionAsync(
            "() => ['Confirmed', 'ManufacturingApproved'].includes(document.querySelector('[data-testid=order-status]')?.dataset.status)",
            null, Patience);

        await operatorPage.WaitForFunctionAsync(
            $"() => document.querySelector(\"[data-testid=mes-job-row][data-order-number='{orderNumber}']\") !== null", null, Patience);
        Assert.True(await operatorPage.EvaluateAsync<bool>("() => window.__notReloaded === true"));
    }
}
