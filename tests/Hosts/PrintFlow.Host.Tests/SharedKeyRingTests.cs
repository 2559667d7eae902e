using System.Net;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Host.Tests;

/// <summary>
/// Two Shop instances with data folders of their own (no shared key folder) on Shop's PostgreSQL database: with the key
/// ring in a key database (<c>ConnectionStrings:keys</c>), a sign-in cookie from one is honoured by the other.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class SharedKeyRingTests
{
    private const string Customer = "customer@printflow.local";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cookie_FromOneShopInstance_IsHonouredByTheOtherOnlyWhenTheyShareTheKeyDatabase(bool sharedKeys)
    {
        await using var database = await PostgresTestDatabase.CreateAsync("keyring_shop");
        await using var keys = await PostgresTestDatabase.CreateAsync("keyring_keys");
        var settings = PrintFlowHost.OnPostgres(("shop", database.ConnectionString));
        if (sharedKeys)
        {
            settings["ConnectionStrings:keys"] = keys.ConnectionString;
        }

        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        using var atFirst = RawSession.Over(first);
        using (var signIn = await atFirst.SignInAsync(Customer))
        {
            Assert.Equal("/", signIn.Headers.Location!.OriginalString);
        }

        using var atSecond = atFirst.CopyTo(second.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }));
        using var orders = await atSecond.GetAsync("/orders");

        if (sharedKeys)
        {
            Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        }
        else
        {
            Assert.True(RawSession.IsRedirectToLogin(orders), $"without a shared key ring the cookie is not readable: {orders.StatusCode}");
        }
    }
}
