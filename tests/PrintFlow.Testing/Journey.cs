using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Playwright;
using PrintFlow.Mes.Shipping;
using Xunit;

namespace PrintFlow.Testing;

/// <summary>
/// The steps the buyer-journey browser tests share: the cart's two-model upload and its prices, the operator working a
/// job through to shipped, and the carrier's signed "delivered" (<see cref="JourneyBrowserTest"/> sets the host up for them).
/// </summary>
public static class Journey
{
    public const string CdekSecret = "cdek-callback-secret-0123456789abcdef";
    public const string Customer = "customer@printflow.local";
    public const string Operator = "operator@printflow.local";

    /// <summary>For waits that span the whole system (pricing, the factory, the carrier) on a shared machine.</summary>
    public static readonly PageWaitForFunctionOptions Patience = new() { Timeout = 60_000 };

    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };

    /// <summary>cube.stl (40 mm) and block.stl (25 mm) uploaded to the cart in one go, both listed.</summary>
    public static async Task UploadTwoModelsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByTestId("quote-files").SetInputFilesAsync(
        [
            new FilePayload { Name = "cube.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(40) },
            new FilePayload { Name = "block.stl", MimeType = "model/stl", Buffer = StlFiles.BinaryCube(25) },
        ]);
        await page.GetByTestId("quote-upload").ClickAsync();
        await Assertions.Expect(page.GetByTestId("cart-item")).ToHaveCountAsync(2);
    }

    /// <summary>Until the cart shows prices for its current contents.</summary>
    public static async Task PricedAsync(IPage page) =>
        await Assertions.Expect(page.GetByTestId("cart")).ToHaveAttributeAsync("data-priced", "1", SoonAttribute);

    public static async Task<decimal> AmountAsync(ILocator item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return decimal.Parse((await item.GetByTestId("item-price").GetAttributeAsync("data-amount"))!, CultureInfo.InvariantCulture);
    }

    /// <summary>The item's price once the cart is priced again at an amount other than <paramref name="before"/>.</summary>
    public static async Task<decimal> NewAmountAsync(IPage page, ILocator item, decimal before)
    {
        ArgumentNullException.ThrowIfNull(item);
        await Assertions.Expect(item.GetByTestId("item-price"))
            .Not.ToHaveAttributeAsync("data-amount", before.ToString(CultureInfo.InvariantCulture), SoonAttribute);
        await PricedAsync(page);
        return await AmountAsync(item);
    }

    /// <summary>Until the order page shows <paramref name="status"/>.</summary>
    public static Task OrderStatusAsync(IPage page, string status)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.WaitForFunctionAsync(
            $"() => document.querySelector('[data-testid=order-status]')?.dataset.status === '{status}'", null, Patience);
    }

    /// <summary>
    /// The operator, on a MES page already signed in, opens the order's job once it is queued, takes it and moves it
    /// through printing, post-processing, quality check and packing, then ships it with CDEK; <paramref name="afterStep"/>
    /// runs after each step for the caller's own checks, with its name: "Queue" (the job found), "Take", each stage, "Shipped".
    /// </summary>
    public static async Task WorkTheJobAsync(IPage page, string orderNumber, string trackingNumber, Func<string, Task>? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var row = page.Locator($"[data-testid=mes-job-row][data-order-number='{orderNumber}']");
        var jobId = await Eventually.UntilAsync(
            async () =>
            {
                if (await row.CountAsync() == 0)
                {
                    await page.ReloadAsync();
                    return null;
                }

                return await row.First.GetAttributeAsync("data-job-id");
            },
            id => id is not null, $"the job of {orderNumber} is in the MES queue", TimeSpan.FromSeconds(60));
        if (afterStep is not null)
        {
            await afterStep("Queue");
        }

        await page.GotoAsync($"/mes/jobs/{jobId}");
        var stage = page.GetByTestId("job-stage");
        await page.GetByTestId("job-action-Take").ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-assignee")).ToBeVisibleAsync();
        if (afterStep is not null)
        {
            await afterStep("Take");
        }

        foreach (var step in new[] { "Printing", "PostProcessing", "QualityCheck", "Packed" })
        {
            await page.GetByTestId($"job-action-{step}").ClickAsync();
            await Assertions.Expect(stage).ToHaveAttributeAsync("data-stage", step);
            if (afterStep is not null)
            {
                await afterStep(step);
            }
        }

        await page.GetByTestId("ship-carrier").SelectOptionAsync("cdek");
        await page.GetByTestId("ship-tracking").FillAsync(trackingNumber);
        await page.GetByTestId("job-action-Shipped").ClickAsync();
        await Assertions.Expect(stage).ToHaveAttributeAsync("data-stage", "Shipped");
        if (afterStep is not null)
        {
            await afterStep("Shipped");
        }
    }

    /// <summary>CDEK's callback, signed with <see cref="CdekSecret"/>, that the parcel <paramref name="trackingNumber"/> was delivered.</summary>
    public static async Task CarrierSaysDeliveredAsync(PrintFlowHost host, string eventId, string trackingNumber)
    {
        ArgumentNullException.ThrowIfNull(host);
        var body = Encoding.UTF8.GetBytes($$"""{"eventId":"{{eventId}}","trackingNumber":"{{trackingNumber}}","status":"delivered"}""");
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/carriers/cdek/events") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(CarrierCallbackEndpoint.SignatureHeader, CarrierCallbackEndpoint.Sign(CdekSecret, body));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
