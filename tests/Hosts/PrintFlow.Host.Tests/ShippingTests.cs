using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Shipping;
using PrintFlow.Shop.Data;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The last mile in the embedded host: a shop order with an address reaches MES, is packed with a slip whose QR code
/// opens the order page, shipped with a carrier and tracking number that the Shop, CRM and the Partner API show, and
/// delivered by the carrier's signed callback.
/// </summary>
public sealed class ShippingTests : IDisposable
{
    private const string CdekSecret = "cdek-callback-secret-0123456789abcdef";
    private const string PostSecret = "russian-post-bearer-secret-0123456789";
    private const string ShopUrl = "https://shop.printflow.example";
    private const string DemoKey = "pfk_demo_0123456789abcdef";

    private readonly PrintFlowHost _host = new(new Dictionary<string, string?>
    {
        ["Mes:ShopPublicUrl"] = ShopUrl,
        ["Mes:Carriers:cdek:CallbackSecret"] = CdekSecret,
        ["Mes:Carriers:russian-post:CallbackAuth"] = "Bearer",
        ["Mes:Carriers:russian-post:CallbackSecret"] = PostSecret,
        ["Mes:CarrierAuthFailuresPerMinute"] = "1000",
    });

    [Fact]
    public async Task ShopOrder_WithAnAddress_IsPackedShippedTrackedAndDeliveredByTheCarrierCallback()
    {
        using var customer = WebSession.Open(_host);
        await customer.SignInAsync("customer@printflow.local");
        var orderPath = await CustomerOrderTests.PlaceOrderAsync(customer, StlFiles.BinaryCube(20), "cube.stl");
        var orderId = Guid.Parse(orderPath["/orders/".Length..]);
        var number = OrderNumber.From(orderId);
        Assert.Contains("125009", await customer.GetPageAsync(orderPath));
        await ConfirmAsync(customer, orderPath, orderId);

        var factory = await Operator.SignInAsync(_host);
        var jobId = await factory.WaitForJobAsync(number);
        var job = await factory.Session.GetPageAsync($"/mes/jobs/{jobId}");
        Assert.Contains("Ivan Petrov, ul. Tverskaya 7, kv. 12, 125009 Moscow, RU", WebUtility.HtmlDecode(job));
        await factory.StepAsync(jobId, "take");
        foreach (var action in new[] { "start-printing", "post-processing", "quality-check", "qc-pass" })
        {
            await factory.StepAsync(jobId, action);
        }

        // Pack: the slip has the order number, the items, the address and a QR code that opens the order page.
        var slip = WebUtility.HtmlDecode(await factory.Session.GetPageAsync($"/mes/jobs/{jobId}/packing-slip"));
        Assert.Equal(number, WebSession.TextOf(slip, "slip-order-number"));
        Assert.Contains("cube.stl", slip);
        Assert.Contains("125009 Moscow", slip);
        using var qr = await factory.Session.Client.GetAsync($"/mes/jobs/{jobId}/packing-slip/qr.png");
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{ShopUrl}/orders/{orderId}", QrImage.Decode(await qr.Content.ReadAsByteArrayAsync()));

        await factory.StepAsync(jobId, "ship", carrier: "cdek", trackingNumber: "1234567890");

        var shipped = await CustomerOrderTests.WaitForStatusAsync(customer, orderPath, OrderStatus.Shipped);
        Assert.Equal("1234567890", WebSession.TextOf(shipped, "order-tracking"));
        Assert.Contains("href=\"https://www.cdek.ru/ru/tracking?order_id=1234567890\"", WebUtility.HtmlDecode(shipped));
        Assert.Contains("1234567890", await CrmOrdersPageAsync("customer@printflow.local"));

        // The carrier reports delivery; its retry of the same event changes nothing.
        var delivered = """{"eventId":"evt-1","trackingNumber":"1234567890","status":"delivered"}""";
        using var client = _host.CreateClient();
        using (var first = await PostSignedAsync(client, "cdek", delivered, CdekSecret))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var body = await first.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((number, "Delivered", false), (body.GetProperty("orderNumber").GetString(), body.GetProperty("stage").GetString(), body.GetProperty("duplicate").GetBoolean()));
        }

        using (var again = await PostSignedAsync(client, "cdek", delivered, CdekSecret))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        }

        var done = await CustomerOrderTests.WaitForStatusAsync(customer, orderPath, OrderStatus.Delivered);
        Assert.Equal("1234567890", WebSession.TextOf(done, "order-tracking"));
    }

    [Fact]
    public async Task PartnerOrder_WithoutAnAddress_ShipsToTheDefaultAddressAndShowsTheTrackingInTheApi()
    {
        using var partner = PartnerClient();
        using (var set = await partner.PutAsync("/api/partners/v1/account/shipping-address", Json(
            """{"recipient":"Demo Partner Ltd","line1":"Hauptstraße 5","city":"Berlin","postalCode":"10115","country":"de"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        var created = await CreatePartnerOrderAsync(partner, shippingAddress: null);
        var id = created.GetProperty("id").GetGuid();
        var quoted = await WaitForPartnerStatusAsync(partner, id, "Quoted");
        Assert.Equal("10115", quoted.GetProperty("shippingAddress").GetProperty("postalCode").GetString());
        Assert.Equal("DE", quoted.GetProperty("shippingAddress").GetProperty("country").GetString());
        (await partner.PostAsync($"/api/partners/v1/orders/{id}/confirm", null)).Dispose();

        var factory = await Operator.SignInAsync(_host);
        var jobId = await factory.WaitForJobAsync(created.GetProperty("orderNumber").GetString()!);
        Assert.Contains("10115 Berlin", WebUtility.HtmlDecode(await factory.Session.GetPageAsync($"/mes/jobs/{jobId}")));
        await factory.StepAsync(jobId, "take");
        foreach (var action in new[] { "start-printing", "post-processing", "quality-check", "qc-pass" })
        {
            await factory.StepAsync(jobId, action);
        }

        await factory.StepAsync(jobId, "ship", carrier: "russian-post", trackingNumber: "RA123456789RU");

        var shipped = await WaitForPartnerStatusAsync(partner, id, "Shipped");
        var shipment = shipped.GetProperty("shipment");
        Assert.Equal(("russian-post", "RA123456789RU", "https://www.pochta.ru/tracking?barcode=RA123456789RU"),
            (shipment.GetProperty("carrier").GetString(), shipment.GetProperty("trackingNumber").GetString(), shipment.GetProperty("trackingUrl").GetString()));

        // Russian Post authenticates with a bearer secret.
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/carriers/russian-post/events")
        {
            Content = Json("""{"eventId":"rp-77","trackingNumber":"RA123456789RU","status":"delivered"}"""),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", PostSecret);
        using (var response = await client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var delivered = await WaitForPartnerStatusAsync(partner, id, "Delivered");
        Assert.Equal("RA123456789RU", delivered.GetProperty("shipment").GetProperty("trackingNumber").GetString());
    }

    [Fact]
    public async Task Ship_WithAnUnknownCarrierOrAWrongTrackingNumber_IsRefusedWithTheReason()
    {
        using var customer = WebSession.Open(_host);
        await customer.SignInAsync("customer@printflow.local");
        var orderPath = await CustomerOrderTests.PlaceOrderAsync(customer, StlFiles.BinaryCube(12), "part.stl");
        var orderId = Guid.Parse(orderPath["/orders/".Length..]);
        await ConfirmAsync(customer, orderPath, orderId);
        var factory = await Operator.SignInAsync(_host);
        var jobId = await factory.WaitForJobAsync(OrderNumber.From(orderId));
        await factory.StepAsync(jobId, "take");
        foreach (var action in new[] { "start-printing", "post-processing", "quality-check", "qc-pass" })
        {
            await factory.StepAsync(jobId, action);
        }

        Assert.Contains("Choose one of the carriers we ship with", await factory.RefusedAsync(jobId, "ship", ("carrier", "pigeon"), ("trackingNumber", "1234567890")));
        Assert.Contains("is not a CDEK tracking number", await factory.RefusedAsync(jobId, "ship", ("carrier", "cdek"), ("trackingNumber", "RA123456789RU")));
        Assert.Contains("Enter the tracking number", await factory.RefusedAsync(jobId, "ship", ("carrier", "cdek"), ("trackingNumber", " ")));
        Assert.Contains("packed", WebSession.TextOf(await factory.Session.GetPageAsync($"/mes/jobs/{jobId}"), "job-stage")!, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("pigeon", "{}", "sig", 404, "carrier.unknown")]
    [InlineData("dhl", """{"eventId":"e","trackingNumber":"1234567890","status":"delivered"}""", "sign", 404, "carrier.callbacks-disabled")]
    [InlineData("cdek", """{"eventId":"e","trackingNumber":"1234567890","status":"delivered"}""", "sha256=00", 401, "carrier.unauthorized")]
    [InlineData("cdek", """{"eventId":"e","trackingNumber":"1234567890","status":"delivered"}""", "wrong-secret", 401, "carrier.unauthorized")]
    [InlineData("cdek", """{"eventId":"e","trackingNumber":"1234567890","status":"delivered"}""", "", 401, "carrier.unauthorized")]
    [InlineData("cdek", """not json""", "sign", 400, "carrier.event-malformed")]
    [InlineData("cdek", """["a"]""", "sign", 400, "carrier.event-malformed")]
    [InlineData("cdek", """{"trackingNumber":"1234567890","status":"delivered"}""", "sign", 400, "carrier.event-id-invalid")]
    [InlineData("cdek", """{"eventId":"e\n1","trackingNumber":"1234567890","status":"delivered"}""", "sign", 400, "carrier.event-id-invalid")]
    [InlineData("cdek", """{"eventId":"e","status":"delivered"}""", "sign", 400, "carrier.tracking-invalid")]
    [InlineData("cdek", """{"eventId":"e","trackingNumber":"1234567890","status":"teleported"}""", "sign", 400, "carrier.status-unknown")]
    [InlineData("cdek", """{"eventId":"e","trackingNumber":"9999999999","status":"delivered"}""", "sign", 404, "carrier.tracking-unknown")]
    public async Task CarrierCallback_WithBadInput_IsRefusedWithAProblemCode(string carrier, string body, string signature, int status, string code)
    {
        using var client = _host.CreateClient();

        using var response = await PostSignedAsync(client, carrier, body, signature switch
        {
            "sign" => CdekSecret,
            "wrong-secret" => "another-secret-of-the-same-length-xyz",
            _ => null,
        }, signature is "sign" or "wrong-secret" ? null : signature);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""{"recipient":"A","line1":"B","city":"C","postalCode":"12345","country":"RU"}""", "address.postal-code.invalid")]
    [InlineData("""{"line1":"B","city":"C","postalCode":"101000","country":"RU"}""", "address.recipient.required")]
    [InlineData("""{"recipient":"A","line1":"B","city":"C","postalCode":"101000","country":"ZZ"}""", "address.country.unknown")]
    [InlineData("""{"recipient":"A\u0000","line1":"B","city":"C","postalCode":"101000","country":"RU"}""", "address.recipient.control-characters")]
    [InlineData("""{"recipient":"A","line1":"B","city":"C","postalCode":"101000","country":"RU","phone":"x"}""", "address.phone.invalid")]
    [InlineData("""{"recipient":"A","line1":"B","city":"C","postalCode":101000,"country":"RU"}""", "address.malformed")]
    [InlineData("""["A","B"]""", "address.malformed")]
    [InlineData("""{"recipient":""", "address.malformed")]
    public async Task PartnerOrder_WithAMalformedShippingAddress_Is400WithTheRulesCode(string shippingAddress, string code)
    {
        using var partner = PartnerClient();

        using var response = await PostPartnerOrderAsync(partner, shippingAddress);
        using var setDefault = await partner.PutAsync("/api/partners/v1/account/shipping-address", Json(shippingAddress));

        foreach (var refused in new[] { response, setDefault })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == code);
        }
    }

    [Fact]
    public async Task CarrierCallback_WhenBadSignaturesKeepComing_Answers429EvenToTheRightSignature()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["Mes:Carriers:cdek:CallbackSecret"] = CdekSecret,
            ["Mes:CarrierAuthFailuresPerMinute"] = "3",
        });
        using var client = host.CreateClient();
        var body = """{"eventId":"e","trackingNumber":"1234567890","status":"delivered"}""";
        for (var i = 0; i < 3; i++)
        {
            using var bad = await PostSignedAsync(client, "cdek", body, secret: null, signature: "sha256=" + new string('0', 64));
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        }

        using var throttled = await PostSignedAsync(client, "cdek", body, CdekSecret);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        Assert.Equal("carrier.auth-throttled", (await throttled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task CarrierCallback_WithABodyLargerThanAnEvent_IsRefusedWithoutReadingItAll()
    {
        using var client = _host.CreateClient();
        var body = "{\"eventId\":\"" + new string('a', CarrierCallbackEndpoint.MaxBodyBytes) + "\"}";

        using var response = await PostSignedAsync(client, "cdek", body, CdekSecret);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("carrier.event-too-large", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static async Task ConfirmAsync(WebSession customer, string orderPath, Guid orderId)
    {
        var quoted = await CustomerOrderTests.WaitForStatusAsync(customer, orderPath, OrderStatus.Quoted);
        var quoteId = System.Text.RegularExpressions.Regex.Match(quoted, "name=\"quoteId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        using var confirm = await customer.PostFormAsync($"/shop/orders/{orderId}/confirm", WebSession.TokenIn(quoted), ("quoteId", quoteId));
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
    }

    private async Task<string> CrmOrdersPageAsync(string customerEmail)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var customerId = await scope.ServiceProvider.GetRequiredService<ShopDbContext>().Customers
            .Where(c => c.Email == customerEmail).Select(c => c.Id).SingleAsync();
        using var sales = WebSession.Open(_host);
        await sales.SignInAsync("sales@printflow.local");
        return await Eventually.UntilAsync(
            () => sales.GetPageAsync($"/crm/customers/Shop/{customerId}"),
            page => page.Contains("1234567890", StringComparison.Ordinal),
            "CRM shows the tracking number");
    }

    private static Task<HttpResponseMessage> PostSignedAsync(HttpClient client, string carrier, string body, string? secret, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carriers/{carrier}/events") { Content = content };
        var header = secret is not null ? CarrierCallbackEndpoint.Sign(secret, bytes) : signature;
        if (!string.IsNullOrEmpty(header))
        {
            request.Headers.Add(CarrierCallbackEndpoint.SignatureHeader, header);
        }

        return client.SendAsync(request);
    }

    private HttpClient PartnerClient()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", DemoKey);
        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static async Task<JsonElement> CreatePartnerOrderAsync(HttpClient partner, string? shippingAddress)
    {
        using var response = await PostPartnerOrderAsync(partner, shippingAddress);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    internal static Task<HttpResponseMessage> PostPartnerOrderAsync(HttpClient partner, string? shippingAddress)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("PETG"), "material" },
            { new StringContent("1"), "quantity" },
        };
        if (shippingAddress is not null)
        {
            form.Add(new StringContent(shippingAddress), "shippingAddress");
        }

        var file = new ByteArrayContent(StlFiles.BinaryCube(14));
        file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
        form.Add(file, "model", "part.stl");
        return partner.PostAsync("/api/partners/v1/orders", form);
    }

    private static Task<JsonElement> WaitForPartnerStatusAsync(HttpClient partner, Guid id, string status) =>
        Eventually.UntilAsync(
            () => partner.GetFromJsonAsync<JsonElement>($"/api/partners/v1/orders/{id}"),
            order => order.GetProperty("status").GetString() == status,
            $"partner order {id} is {status}");

    public void Dispose() => _host.Dispose();
}
