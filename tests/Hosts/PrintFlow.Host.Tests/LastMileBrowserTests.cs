using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The last mile in Chromium: a shop order from upload to delivered, with every email a real SMTP server (started by
/// the test) received checked; and a partner order with an address whose signed webhooks reach a receiver the test runs.
/// The operator's steps and the customer's are clicked in the browser; the carrier's "delivered" is its signed callback.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class LastMileBrowserTests : JourneyBrowserTest
{
    private const string DemoKey = "pfk_demo_0123456789abcdef";

    public LastMileBrowserTests()
        : base(new Dictionary<string, string?>
        {
            // The test's webhook receiver listens on loopback, which only the allow-list lets through.
            ["Partners:Webhooks:AllowedHosts:0"] = "127.0.0.1",
            ["Partners:Webhooks:PollInterval"] = "00:00:00.050",
            // The walk goes through the sign-in-first storefront's upload form (the cart has its own browser tests).
            ["FeatureManagement:ShopInstantQuote"] = "false",
        })
    {
    }

    [Fact]
    public async Task ShopOrder_FromUploadToDelivered_SendsEveryEmailWithTheOrderNumberAWorkingLinkAndTheTracking()
    {
        var customer = await SignedInPageAsync(Journey.Customer, "/");
        await customer.SetInputFilesAsync("[data-testid=model-file]", new FilePayload
        {
            Name = "last-mile.stl",
            MimeType = "model/stl",
            Buffer = StlFiles.BinaryCube(25),
        });
        await customer.SelectOptionAsync("[data-testid=material]", "PLA");
        await customer.FillAsync("[data-testid=quantity]", "1");
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await customer.FillAsync($"[data-testid=address-{name}]", value);
        }

        await customer.ClickAsync("[data-testid=place-order]");
        await Assertions.Expect(customer.GetByTestId("order-number")).ToBeVisibleAsync();
        var number = (await customer.TextContentAsync("[data-testid=order-number]"))!.Trim();
        var orderPath = new Uri(customer.Url).AbsolutePath;
        await WaitForStatusAsync(customer, "Quoted");
        await customer.ClickAsync("[data-testid=confirm-quote]");
        await customer.WaitForFunctionAsync(
            "() => ['Confirmed', 'ManufacturingApproved'].includes(document.querySelector('[data-testid=order-status]')?.dataset.status)",
            null, Journey.Patience);

        await WorkTheJobInTheBrowserAsync(number, "1234567890");
        await WaitForStatusAsync(customer, "Shipped");
        await Assertions.Expect(customer.GetByTestId("order-tracking")).ToHaveTextAsync("1234567890");
        await CarrierSaysDeliveredAsync("evt-last-mile-1", "1234567890");
        await WaitForStatusAsync(customer, "Delivered");

        // Received; quote ready; in production; shipped; delivered: one each, nothing else.
        var emails = await Eventually.UntilAsync(
            () => Task.FromResult(Smtp.To(Journey.Customer).Where(m => (m.Subject ?? "").Contains(number, StringComparison.Ordinal)).ToList()),
            received => received.Count >= 5,
            $"the SMTP server received five emails about {number}");
        Assert.Equal(5, emails.Count);
        Assert.Equal(5, emails.Select(m => m.MessageId).Distinct().Count());
        var shipped = Assert.Single(emails, m => (m.TextBody ?? "").Contains("1234567890", StringComparison.Ordinal));
        Assert.Contains("https://www.cdek.ru/ru/tracking?order_id=1234567890", shipped.TextBody ?? "", StringComparison.Ordinal);
        Assert.Contains("href=\"https://www.cdek.ru/ru/tracking?order_id=1234567890\"", shipped.HtmlBody ?? "", StringComparison.Ordinal);

        // Each email's link opens the order page: first in a browser that is not signed in (sign-in brings it back).
        var links = emails.Select(m => OrderLinkIn(m, orderPath)).ToList();
        var stranger = await (await Browser.NewContextAsync(new() { BaseURL = Address.ToString() })).NewPageAsync();
        await stranger.GotoAsync(links[0]);
        await stranger.FillAsync("input[name=email]", Journey.Customer);
        await stranger.FillAsync("input[name=password]", "demo-password");
        await stranger.ClickAsync("[data-testid=login-form] button[type=submit]");
        await Assertions.Expect(stranger.GetByTestId("order-number")).ToHaveTextAsync(number);
        foreach (var link in links)
        {
            var response = await customer.GotoAsync(link);
            Assert.Equal(200, response!.Status);
            await Assertions.Expect(customer.GetByTestId("order-number")).ToHaveTextAsync(number);
        }
    }

    [Fact]
    public async Task PartnerOrder_WithAShippingAddress_SendsEveryStatusToTheReceiverSignedUntilDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var partner = Host.CreateClient();
        partner.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        using (var registered = await partner.PostAsJsonAsync("/api/partners/v1/webhooks", new { url = receiver.Url.ToString() }))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            receiver.Secrets.Add((await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        }

        using var form = new MultipartFormDataContent
        {
            { new StringContent("PETG"), "material" },
            { new StringContent("3"), "quantity" },
            { new StringContent("""{"recipient":"Demo Partner Ltd","line1":"Hauptstraße 5","city":"Berlin","postalCode":"10115","country":"DE"}"""), "shippingAddress" },
        };
        var file = new ByteArrayContent(StlFiles.BinaryCube(15));
        file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
        form.Add(file, "model", "bracket.stl");
        using var created = await partner.PostAsync("/api/partners/v1/orders", form);
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var order = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = order.GetProperty("id").GetGuid();
        var number = order.GetProperty("orderNumber").GetString()!;

        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Any(e => e.OrderId == id && e.Status == "Quoted")), "the receiver heard Quoted", TimeSpan.FromSeconds(60));
        using (var confirm = await partner.PostAsync($"/api/partners/v1/orders/{id}/confirm", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, confirm.StatusCode);
        }

        var operatorPage = await WorkTheJobInTheBrowserAsync(number, "0123456789");
        await Assertions.Expect(operatorPage.GetByTestId("job-tracking")).ToHaveTextAsync("0123456789");
        await CarrierSaysDeliveredAsync("evt-last-mile-2", "0123456789");
        await Eventually.UntilAsync(() => Task.FromResult(receiver.Received.Any(e => e.OrderId == id && e.Status == "Delivered")), "the receiver heard Delivered", TimeSpan.FromSeconds(60));

        var events = receiver.Received.Where(e => e.OrderId == id).ToList();
        Assert.All(events, e => Assert.True(e.SignatureValid, $"the signature of {e.Status} v{e.Version} verifies"));
        var byVersion = events.GroupBy(e => e.Version).OrderBy(g => g.Key).Select(g => g.First()).ToList();
        Assert.Equal(Enumerable.Range(1, byVersion.Count), byVersion.Select(e => e.Version));
        Assert.Equal(
            ["Submitted", "PriceCalculating", "Quoted", "Confirmed", "ManufacturingApproved", "Printing", "PostProcessing", "QualityCheck", "Packed", "Shipped", "Delivered"],
            byVersion.Select(e => e.Status));
        Assert.All(events.GroupBy(e => e.Id), same => Assert.Single(same.Select(e => e.Version).Distinct()));
        var shipment = byVersion.Single(e => e.Status == "Shipped").Body.GetProperty("data").GetProperty("shipment");
        Assert.Equal(("cdek", "0123456789"), (shipment.GetProperty("carrier").GetString(), shipment.GetProperty("trackingNumber").GetString()));
        Assert.DoesNotContain(Smtp.Received, m => (m.Subject ?? "").Contains(number, StringComparison.Ordinal)); // partners are told by webhook, not email
    }

    /// <summary>An operator takes the order's job in Chromium, prints, checks, packs and ships it with CDEK.</summary>
    private async Task<IPage> WorkTheJobInTheBrowserAsync(string orderNumber, string trackingNumber)
    {
        var page = await SignedInPageAsync(Journey.Operator, $"/mes?q={orderNumber}");
        await Journey.WorkTheJobAsync(page, orderNumber, trackingNumber, async step =>
        {
            if (step == "Take")
            {
                await Assertions.Expect(page.GetByTestId("job-assignee")).ToHaveTextAsync("Olivia Operator");
            }
        });
        return page;
    }

    private Task CarrierSaysDeliveredAsync(string eventId, string trackingNumber) => Journey.CarrierSaysDeliveredAsync(Host, eventId, trackingNumber);

    private static Task WaitForStatusAsync(IPage page, string status) => Journey.OrderStatusAsync(page, status);

    /// <summary>The link to the order page in an email's plain-text part: on this host, nothing else.</summary>
    private string OrderLinkIn(MimeMessage email, string orderPath)
    {
        var links = UrlPattern().Matches(email.TextBody ?? "").Select(m => m.Value)
            .Where(u => u.EndsWith(orderPath, StringComparison.Ordinal)).Distinct().ToList();
        var link = Assert.Single(links);
        Assert.StartsWith(Address.GetLeftPart(UriPartial.Authority), link, StringComparison.Ordinal);
        return link;
    }

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex UrlPattern();
}
