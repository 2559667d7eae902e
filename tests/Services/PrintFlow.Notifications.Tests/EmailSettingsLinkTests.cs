using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Notifications.Endpoints;
using PrintFlow.Shop.Data;
using PrintFlow.Testing;

namespace PrintFlow.Notifications.Tests;

/// <summary>The Shop's "Email settings" link: from the order pages to the customer's own signed preferences page.</summary>
public sealed class EmailSettingsLinkTests : IDisposable
{
    private const string Customer = "customer@printflow.local";
    private readonly PrintFlowHost _host = new();

    [Fact]
    public async Task EmailSettingsLink_WhenTheCustomerIsSignedIn_OpensTheirOwnPreferencesPage()
    {
        using var customer = WebSession.Open(_host);
        await customer.SignInAsync(Customer);

        Assert.Contains($"href=\"{PreferenceEndpoints.MinePath}\"", await customer.GetPageAsync("/orders"));
        using var mine = await customer.Client.GetAsync(PreferenceEndpoints.MinePath);

        Assert.Equal(HttpStatusCode.Redirect, mine.StatusCode);
        var location = mine.Headers.Location!.OriginalString;
        Assert.StartsWith($"{PreferenceEndpoints.Path}?token=", location, StringComparison.Ordinal);
        await using var scope = _host.Services.CreateAsyncScope();
        var customerId = await scope.ServiceProvider.GetRequiredService<ShopDbContext>().Customers
            .Where(c => c.Email == Customer).Select(c => c.Id).SingleAsync();
        var token = Uri.UnescapeDataString(location[(location.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(customerId.ToString(), scope.ServiceProvider.GetRequiredService<PreferenceTokens>().Read(token));
        Assert.Contains("data-testid=\"optional-state\"", await customer.GetPageAsync(location), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmailSettingsLink_WhenNobodyIsSignedIn_AsksToSignInFirst()
    {
        using var stranger = WebSession.Open(_host);

        using var response = await stranger.Client.GetAsync(PreferenceEndpoints.MinePath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    public void Dispose() => _host.Dispose();
}
