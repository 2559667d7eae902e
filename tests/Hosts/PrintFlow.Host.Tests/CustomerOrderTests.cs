using System.Net;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>End to end over HTTP in the embedded host: a shop customer's order from upload to Delivered.</summary>
public sealed class CustomerOrderTests : IDisposable
{
    private readonly PrintFlowHost _host = new();

    [Fact]
    public async Task CustomerOrder_FromUploadToDelivered_PassesEveryStateOfTheLifecycle()
    {
        using var customer = WebSession.Open(_host);
        await customer.SignInAsync("customer@printflow.local");
        var orderPath = await PlaceOrderAsync(customer, StlFiles.BinaryCube(20), "cube.stl");
        var orderId = Guid.Parse(orderPath["/orders/".Length..]);

        var quotedPage = await WaitForStatusAsync(customer, orderPath, OrderStatus.Quoted);
        Assert.NotNull(WebSession.TextOf(quotedPage, "quote-total"));
        using (var confirm = await customer.PostFormAsync($"/shop/orders/{orderId}/confirm", WebSession.TokenIn(quotedPage),
            ("quoteId", QuoteIdIn(quotedPage))))
        {
            Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        }

        var factory = await Operator.SignInAsync(_host);
        var jobId = await factory.WaitForJobAsync(OrderNumber.From(orderId));
        await WaitForStatusAsync(customer, orderPath, OrderStatus.ManufacturingApproved);
        await factory.ProduceAndDeliverAsync(jobId);

        var delivered = await WaitForStatusAsync(customer, orderPath, OrderStatus.Delivered);
        var history = WebSession.TextOf(delivered, "order-history") ?? delivered;
        foreach (var status in new[] { "Submitted", "PriceCalculating", "Quoted", "Confirmed", "ManufacturingApproved", "Printing", "PostProcessing", "QualityCheck", "Packed", "Shipped" })
        {
            Assert.Contains(status, delivered);
        }

        Assert.Contains("Layer shift at 12 mm", delivered); // the failed quality check and its reason are on record
        Assert.NotNull(history);

        // Staff find the order by its number on the operations page, with every step and its duration.
        using var supervisor = WebSession.Open(_host);
        await supervisor.SignInAsync("supervisor@printflow.local");
        var ops = await supervisor.GetPageAsync($"/ops?order={OrderNumber.From(orderId)}");
        Assert.Equal(14, System.Text.RegularExpressions.Regex.Count(ops, "data-testid=\"ops-step\""));
        Assert.Contains("Layer shift at 12 mm", ops);
        using var customerAtOps = await customer.Client.GetAsync("/ops");
        Assert.Equal(HttpStatusCode.Redirect, customerAtOps.StatusCode); // customers are sent to sign in as staff
    }

    [Fact]
    public async Task CustomerOrder_WhenAnotherCustomerAsksForIt_IsNotFound()
    {
        using var owner = WebSession.Open(_host);
        await owner.SignInAsync("customer@printflow.local");
        var orderPath = await PlaceOrderAsync(owner, StlFiles.BinaryCube(10), "small.stl");

        using var other = WebSession.Open(_host);
        var token = await other.TokenAsync("/register");
        using (var registered = await other.PostFormAsync("/shop/register", token,
            ("displayName", "Other Customer"), ("email", "other@example.com"), ("password", "another-password")))
        {
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }

        await other.SignInAsync("other@example.com", "another-password");
        using var response = await other.Client.GetAsync(orderPath);
        using var live = await other.Client.GetAsync($"/shop{orderPath}/live");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.Client.GetAsync(orderPath)).StatusCode);
    }

    [Fact]
    public async Task Health_WhenStarted_IsReady()
    {
        using var client = _host.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task<string> PlaceOrderAsync(WebSession customer, byte[] model, string fileName)
    {
        var token = await customer.TokenAsync("/");
        using var response = await customer.PostMultipartAsync("/shop/orders", token, ("model", fileName, model),
            [("material", "PLA"), ("quantity", "2"), ("leadTime", "Standard"), .. TestAddresses.Checkout]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/orders/", location);
        return location;
    }

    internal static Task<string> WaitForStatusAsync(WebSession customer, string orderPath, OrderStatus status) =>
        Eventually.UntilAsync(
            () => customer.GetPageAsync(orderPath),
            page => page.Contains($"data-status=\"{status}\"", StringComparison.Ordinal),
            $"{orderPath} shows {status}");

    private static string QuoteIdIn(string page) =>
        System.Text.RegularExpressions.Regex.Match(page, "name=\"quoteId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;

    public void Dispose() => _host.Dispose();
}
