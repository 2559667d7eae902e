using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

public sealed class CustomerRegisteredTests(PrintFlowHostFixture fixture) : IClassFixture<PrintFlowHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task Register_NewShopCustomer_IsListedInCrmAtOnceWithZeroOrders()
    {
        var email = await WebSession.Open(Host).RegisterAsync("Nina Newcomer", verified: false);
        var sales = WebSession.Open(Host);
        await sales.SignInAsync("sales@printflow.local", "demo-password");

        var fragment = await Eventually.UntilAsync(
            () => sales.Client.GetStringAsync($"/crm/fragments/customers?q={Uri.EscapeDataString(email)}"),
            html => html.Contains(email, StringComparison.Ordinal), "the new customer is listed in CRM");

        Assert.Contains("Nina Newcomer", fragment);
        await using var scope = Host.Services.CreateAsyncScope();
        var customer = await scope.ServiceProvider.GetRequiredService<CrmDbContext>().Customers.AsNoTracking().SingleAsync(c => c.Email == email);
        Assert.Equal(SalesChannel.Shop, customer.Channel);
        Assert.Equal(0, customer.OrderCount);
        Assert.Null(customer.FirstOrderAt);
    }
}
