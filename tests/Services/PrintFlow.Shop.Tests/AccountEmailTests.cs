using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Shop.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>Email verification, password reset and change, through the real host: emails read from its pickup folder and their links followed.</summary>
public sealed class AccountEmailTests(ShopHostFixture fixture) : IClassFixture<ShopHostFixture>
{
    private const string Password = "correct-horse";
    private static readonly ShippingAddress Address = new("Ivan Petrov", "ul. Tverskaya 7, kv. 12", null, "Moscow", null, "125009", "RU", null);
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task Register_NewCustomer_GetsVerificationLinkAndMayOrderOnlyAfterFollowingIt()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync("Vera Verify", verified: false);

        var refused = await PostOrderAsync(session);
        Assert.Equal("/account/verify-email?required=1", refused.Headers.Location!.OriginalString);
        Assert.Contains("Please verify your email address before placing an order", await session.GetPageAsync(refused.Headers.Location.OriginalString));
        Assert.Equal(0, await Host.WithDbAsync(db => db.Orders.CountAsync(o => o.CustomerEmail == email)));
        Assert.Contains("data-testid=\"email-not-verified\"", await session.GetPageAsync("/account"));

        var message = Assert.Single(await Mailbox.WaitAsync(Host, email, "verify-email"));
        Assert.DoesNotContain("List-Unsubscribe", message.Headers.Select(h => h.Field));
        var link = Mailbox.LinkIn(message, "/account/verify-email");
        var elsewhere = WebSession.Open(Host); // the link works in any browser, signed in or not
        var page = await elsewhere.GetPageAsync(link);
        Assert.Contains("data-testid=\"verify-form\"", page);
        Assert.False(await VerifiedAsync(email), "opening the link changes nothing");

        var confirmed = await elsewhere.PostFormAsync("/shop/account/verify-email", WebSession.TokenIn(page), ("token", TokenOf(link)));

        Assert.Equal("/account/verify-email?done=1", confirmed.Headers.Location!.OriginalString);
        Assert.True(await VerifiedAsync(email));
        Assert.StartsWith("/orders/", (await PostOrderAsync(session)).Headers.Location!.OriginalString);
        Assert.Contains("This link has already been used", await elsewhere.GetPageAsync(link));
        var again = await elsewhere.PostFormAsync("/shop/account/verify-email", WebSession.TokenIn(page), ("token", TokenOf(link)));
        Assert.Equal("/account/verify-email?error=account.link-used", again.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task VerifyEmail_WithForgedOrExpiredLink_SaysSoAndVerifiesNothing()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync(verified: false);
        var link = Mailbox.LinkIn(Assert.Single(await Mailbox.WaitAsync(Host, email, "verify-email")), "/account/verify-email");

        var forged = TokenOf(link)[..^2] + (TokenOf(link).EndsWith("AA", StringComparison.Ordinal) ? "BB" : "AA");
        Assert.Contains("This link is not valid", await session.GetPageAsync($"/account/verify-email?token={forged}"));
        Assert.Contains("This link is not valid", await session.GetPageAsync($"/account/verify-email?token={new string('x', 5000)}"));
        var page = await session.GetPageAsync("/account");
        var refused = await session.PostFormAsync("/shop/account/verify-email", WebSession.TokenIn(page), ("token", forged));
        Assert.Equal("/account/verify-email?error=account.link-unknown", refused.Headers.Location!.OriginalString);

        await Host.WithDbAsync(db => db.AccountTokens.Where(t => db.Customers.Any(c => c.Id == t.CustomerId && c.Email == email))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Contains("This link has expired", await session.GetPageAsync(link));
        var expired = await session.PostFormAsync("/shop/account/verify-email", WebSession.TokenIn(page), ("token", TokenOf(link)));
        Assert.Equal("/account/verify-email?error=account.link-expired", expired.Headers.Location!.OriginalString);
        Assert.False(await VerifiedAsync(email));
    }

    [Fact]
    public async Task ResetPassword_FromEmailLink_SetsNewPasswordAndSignsOutEverySession()
    {
        var first = WebSession.Open(Host);
        var email = await first.RegisterAsync("Rita Reset", Password);
        var second = WebSession.Open(Host);
        await second.SignInAsync(email, Password);
        var visitor = WebSession.Open(Host);

        var known = await visitor.PostFormFromAsync("/forgot-password", "/shop/account/forgot-password", ("email", email.ToUpperInvariant()));
        var unknown = await visitor.PostFormFromAsync("/forgot-password", "/shop/account/forgot-password", ("email", $"nobody-{Guid.NewGuid():N}@example.test"));

        Assert.Equal("/forgot-password?sent=1", known.Headers.Location!.OriginalString);
        Assert.Equal(known.Headers.Location, unknown.Headers.Location);
        Assert.Contains("If an account exists for that address", await visitor.GetPageAsync("/forgot-password?sent=1"));
        var link = Mailbox.LinkIn(Assert.Single(await Mailbox.WaitAsync(Host, email, "password-reset")), "/reset-password");

        var form = await visitor.GetPageAsync(link);
        Assert.Contains("data-testid=\"reset-form\"", form);
        var weak = await visitor.PostFormAsync("/shop/account/reset-password", WebSession.TokenIn(form), ("token", TokenOf(link)), ("password", "short"));
        Assert.Contains("error=account.weak-password", weak.Headers.Location!.OriginalString);
        Assert.Contains("Choose a password of 8 to 1024 characters", await visitor.GetPageAsync(weak.Headers.Location.OriginalString));

        var done = await visitor.PostFormAsync("/shop/account/reset-password", WebSession.TokenIn(form), ("token", TokenOf(link)), ("password", "a-brand-new-secret"));

        Assert.Equal("/reset-password?done=1", done.Headers.Location!.OriginalString);
        await AssertSignedOutAsync(first);
        await AssertSignedOutAsync(second);
        await Assert.ThrowsAsync<InvalidOperationException>(() => WebSession.Open(Host).SignInAsync(email, Password));
        await WebSession.Open(Host).SignInAsync(email, "a-brand-new-secret");
        var reused = await visitor.PostFormAsync("/shop/account/reset-password", WebSession.TokenIn(form), ("token", TokenOf(link)), ("password", "yet-another-secret"));
        Assert.Equal("/reset-password?error=account.link-used", reused.Headers.Location!.OriginalString);
        Assert.Contains("This link has already been used", await visitor.GetPageAsync(link));
    }

    [Fact]
    public async Task ForgotPassword_TooManyForOneEmail_IsRefusedWithWaitAndSendsNoMore()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync(password: Password);
        for (var i = 0; i < 3; i++)
        {
            var sent = await session.PostFormFromAsync("/forgot-password", "/shop/account/forgot-password", ("email", email));
            Assert.Equal("/forgot-password?sent=1", sent.Headers.Location!.OriginalString);
        }

        var refused = await session.PostFormFromAsync("/forgot-password", "/shop/account/forgot-password", ("email", email));

        Assert.StartsWith("/forgot-password?error=account.throttled&minutes=", refused.Headers.Location!.OriginalString);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("Too many requests; try again in", await session.GetPageAsync(refused.Headers.Location.OriginalString));
        await Mailbox.WaitAsync(Host, email, "password-reset", count: 3);
        Assert.Equal(3, await Host.WithDbAsync(db => db.AccountTokens.CountAsync(t => t.Purpose == AccountTokenPurpose.PasswordReset
            && db.Customers.Any(c => c.Id == t.CustomerId && c.Email == email))));
    }

    [Fact]
    public async Task ResendVerification_PastTheLimit_IsRefusedWithWaitAndEachSentLinkIsNew()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync(verified: false);
        for (var i = 0; i < 3; i++)
        {
            var sent = await session.PostFormFromAsync("/account", "/shop/account/verify-email/resend");
            Assert.Equal("/account?done=verification-sent", sent.Headers.Location!.OriginalString);
        }

        var refused = await session.PostFormFromAsync("/account", "/shop/account/verify-email/resend");

        Assert.StartsWith("/account?error=account.throttled&minutes=", refused.Headers.Location!.OriginalString);
        Assert.Contains("Too many requests; try again in", await session.GetPageAsync(refused.Headers.Location.OriginalString));
        var emails = await Mailbox.WaitAsync(Host, email, "verify-email", count: 4); // the registration's and three more
        Assert.Equal(4, emails.Select(m => Mailbox.LinkIn(m, "/account/verify-email")).Distinct().Count());
    }

    [Fact]
    public async Task ChangePassword_WithCurrentPassword_KeepsThisSessionAndSignsOutTheOthers()
    {
        var here = WebSession.Open(Host);
        var email = await here.RegisterAsync(password: Password);
        var there = WebSession.Open(Host);
        await there.SignInAsync(email, Password);

        var wrong = await here.PostFormFromAsync("/account", "/shop/account/password", ("currentPassword", "not-it-at-all"), ("newPassword", "another-secret"));
        Assert.Equal("/account?error=account.wrong-password#password", wrong.Headers.Location!.OriginalString);
        Assert.Contains("The current password is not right.", await here.GetPageAsync("/account?error=account.wrong-password"));
        var weak = await here.PostFormFromAsync("/account", "/shop/account/password", ("currentPassword", Password), ("newPassword", "short"));
        Assert.Equal("/account?error=account.weak-password#password", weak.Headers.Location!.OriginalString);

        var changed = await here.PostFormFromAsync("/account", "/shop/account/password", ("currentPassword", Password), ("newPassword", "another-secret"));

        Assert.Equal("/account?done=password-changed", changed.Headers.Location!.OriginalString);
        Assert.Contains("Your password was changed.", await here.GetPageAsync("/account?done=password-changed"));
        await AssertSignedOutAsync(there);
        await WebSession.Open(Host).SignInAsync(email, "another-secret");
    }

    [Fact]
    public async Task AccountPage_ShowsAddressBookAndEmailSettings_AndRemovesAnAddress()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync();
        await Host.WithDbAsync(async db =>
        {
            var customer = await db.Customers.SingleAsync(c => c.Email == email);
            db.Addresses.Add(SavedAddress.Save(customer.Id, Address, DateTimeOffset.UtcNow));
            return await db.SaveChangesAsync();
        });

        var page = await session.GetPageAsync("/account");

        Assert.Contains("data-testid=\"email-verified\"", page);
        Assert.Contains(Address.Line1, page);
        var settings = System.Text.RegularExpressions.Regex.Match(page, "href=\"(/notifications/preferences\\?token=[^\"]+)\"").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync(WebUtility.HtmlDecode(settings))).StatusCode);
        var id = await Host.WithDbAsync(db => db.Addresses.Where(a => db.Customers.Any(c => c.Id == a.CustomerId && c.Email == email)).Select(a => a.Id).SingleAsync());
        var removed = await session.PostFormFromAsync("/account", $"/shop/account/addresses/{id}/delete");
        Assert.Equal("/account?done=address-deleted#addresses", removed.Headers.Location!.OriginalString);
        Assert.DoesNotContain(Address.Line1, await session.GetPageAsync("/account"));
    }

    private Task<bool> VerifiedAsync(string email) =>
        Host.WithDbAsync(db => db.Customers.Where(c => c.Email == email).Select(c => c.EmailVerifiedAt != null).SingleAsync());

    private static string TokenOf(string link) => Uri.UnescapeDataString(link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..]);

    private static async Task AssertSignedOutAsync(WebSession session)
    {
        var response = await session.Client.GetAsync("/account");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.AbsolutePath);
    }

    private static async Task<HttpResponseMessage> PostOrderAsync(WebSession session)
    {
        var token = await session.TokenAsync("/");
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, value) in new[] { ("material", "PLA"), ("quantity", "1"), ("leadTime", "Standard") }.Concat(TestAddresses.Checkout))
        {
            form.Add(new StringContent(value), name);
        }

        var file = new ByteArrayContent(StlFiles.BinaryCube(10));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "model", "cube.stl");
        return await session.Client.PostAsync("/shop/orders", form);
    }
}
