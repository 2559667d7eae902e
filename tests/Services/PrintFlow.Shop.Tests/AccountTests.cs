using System.Net;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

public sealed class AccountTests(ShopHostFixture fixture) : IClassFixture<ShopHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task SignIn_AsDemoCustomer_ShowsUploadForm()
    {
        var session = WebSession.Open(Host);
        var signedOut = await session.Client.GetStringAsync("/");
        Assert.DoesNotContain("data-testid=\"upload-form\"", signedOut);
        Assert.Contains("data-testid=\"sign-in-link\"", signedOut);

        await session.SignInAsync("customer@printflow.local", "demo-password");

        var page = await session.Client.GetStringAsync("/");
        Assert.Contains("data-testid=\"upload-form\"", page);
        Assert.Contains("Anna Smirnova", page);
    }

    [Fact]
    public async Task SignIn_WithWrongPassword_IsRefused()
    {
        var session = WebSession.Open(Host);

        var response = await session.PostFormFromAsync("/login", "/account/login", ("email", "customer@printflow.local"), ("password", "wrong"), ("returnUrl", "/"));

        Assert.StartsWith("/login?error=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Register_NewCustomer_IsSignedInAndCanSignInAgain()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync("Grace Hopper");
        Assert.Contains("data-testid=\"upload-form\"", await session.Client.GetStringAsync("/"));

        var again = WebSession.Open(Host);
        await again.SignInAsync(email.ToUpperInvariant(), "correct-horse");
        Assert.Contains("Grace Hopper", await again.Client.GetStringAsync("/"));
    }

    [Fact]
    public async Task Register_WithTakenEmail_ShowsReason()
    {
        var session = WebSession.Open(Host);

        var response = await session.PostFormFromAsync("/register", "/shop/register",
            ("displayName", "Someone"), ("email", "customer@printflow.local"), ("password", "long-enough"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await session.Client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("An account with this email already exists.", page);
    }

    [Fact]
    public async Task OrdersPage_WhenSignedOut_RedirectsToLogin()
    {
        var response = await WebSession.Open(Host).Client.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.AbsolutePath);
    }
}
