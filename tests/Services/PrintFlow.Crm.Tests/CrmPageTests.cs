using System.Net;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

public sealed class CrmPageTests(PrintFlowHostFixture fixture) : IClassFixture<PrintFlowHostFixture>
{
    private const string SalesEmail = "sales@printflow.local";
    private const string Password = "demo-password";
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task CrmPage_ForCustomer_IsNotShown()
    {
        var session = WebSession.Open(Host);
        await session.SignInAsync("customer@printflow.local", Password);

        var page = await session.Client.GetAsync("/crm");
        var fragment = await session.Client.GetAsync("/crm/fragments/customers");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.AbsolutePath);
        Assert.NotEqual(HttpStatusCode.OK, fragment.StatusCode);
    }

    [Fact]
    public async Task CrmPage_WhenSignedOut_RedirectsToLogin()
    {
        var page = await WebSession.Open(Host).Client.GetAsync("/crm");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task CrmPage_ForSalesManager_ShowsCustomersAndSearches()
    {
        var alice = new OrderStory(new CustomerRef(Guid.NewGuid().ToString(), "Alice Zephyr", "alice@zephyr.test", SalesChannel.Shop));
        var bob = new OrderStory(new CustomerRef("partner-bob", "Bob Industries", "buyer@bob.test", SalesChannel.Partner));
        var order = Guid.CreateVersion7();
        await Host.DispatchAsync("crm", alice.Submitted(order));
        await Host.DispatchAsync("crm", alice.Status(order, OrderStatus.Confirmed, 4, 99.90m, OrderStatus.Quoted));
        await Host.DispatchAsync("crm", bob.Submitted(Guid.CreateVersion7()));
        var session = WebSession.Open(Host);
        await session.SignInAsync(SalesEmail, Password);

        var all = await session.Client.GetStringAsync("/crm");
        var searched = await session.Client.GetStringAsync("/crm?q=ZEPHYR");

        Assert.Contains("data-testid=\"crm-customers\"", all);
        Assert.Contains("Alice Zephyr", all);
        Assert.Contains("Bob Industries", all);
        Assert.Contains("data-testid=\"crm-revenue\">99.90 EUR<", all);
        Assert.Contains("Alice Zephyr", searched);
        Assert.DoesNotContain("Bob Industries", searched);
        var fragment = await session.Client.GetStringAsync("/crm/fragments/customers?q=bob.test");
        Assert.Contains("Bob Industries", fragment);
        Assert.DoesNotContain("Alice Zephyr", fragment);
    }

    [Fact]
    public async Task AddNote_AsSalesManager_ShowsOnCustomerPage()
    {
        var story = OrderStory.NewCustomer();
        var order = Guid.CreateVersion7();
        await Host.DispatchAsync("crm", story.Submitted(order));
        var session = WebSession.Open(Host);
        await session.SignInAsync(SalesEmail, Password);
        var detail = $"/crm/customers/Shop/{story.Customer.CustomerId}";

        var response = await session.PostFormFromAsync(detail, $"{detail}/notes", ("text", "Prefers Express lead time."));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await session.Client.GetStringAsync(detail);
        Assert.Contains("Prefers Express lead time.", page);
        Assert.Contains("data-testid=\"crm-order-row\"", page);
        Assert.Contains(OrderNumber.From(order), page);
        Assert.Contains("data-testid=\"note-form\"", page);
    }

    [Fact]
    public async Task CustomerPage_ForUnknownCustomer_IsNotFound()
    {
        var session = WebSession.Open(Host);
        await session.SignInAsync(SalesEmail, Password);

        var response = await session.Client.GetAsync("/crm/customers/Shop/nobody");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
