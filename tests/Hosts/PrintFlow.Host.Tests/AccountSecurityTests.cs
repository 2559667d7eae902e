using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Accounts;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Host.Tests;

/// <summary>Sign-in, registration, sessions and response headers through the real host: what an attacker at the login form or with a copied cookie meets.</summary>
public sealed class AccountSecurityTests
{
    private const string Customer = "customer@printflow.local";

    [Fact]
    public async Task SignIn_WhenPasswordsAreGuessedPastTheLimit_IsLockedAndEvenTheRightPasswordIsRefused()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:SignIn:MaxFailuresPerAccount"] = "3" });
        using var attacker = RawSession.Over(host);

        for (var i = 0; i < 2; i++)
        {
            using var wrong = await attacker.SignInAsync(Customer, $"guess-{i}");
            Assert.StartsWith("/login?error=1", wrong.Headers.Location!.OriginalString);
        }

        using var third = await attacker.SignInAsync(Customer, "guess-3");
        Assert.StartsWith("/login?error=locked&minutes=15", third.Headers.Location!.OriginalString);
        Assert.InRange(int.Parse(third.Headers.GetValues("Retry-After").Single()), 1, 15 * 60);

        using var right = await attacker.SignInAsync(Customer, "demo-password");
        Assert.StartsWith("/login?error=locked", right.Headers.Location!.OriginalString);
        Assert.Null(attacker.SetCookie(RawSession.AuthCookie));

        using var page = await attacker.GetAsync(right.Headers.Location!.OriginalString);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.Contains("Too many attempts; try again in 15 min.", html);

        // Another account from the same address is not locked with it.
        using var other = RawSession.Over(host);
        using var operatorSignIn = await other.SignInAsync("operator@printflow.local");
        Assert.Equal("/", operatorSignIn.Headers.Location!.OriginalString);
    }

    [Fact]
    [Trait("Category", "Infrastructure")]
    public async Task SignIn_WhenGuessesAreSpreadOverTwoShopInstances_TheyShareOneCountInShopsDatabase()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("throttle_shop");
        var settings = PrintFlowHost.OnPostgres(("shop", database.ConnectionString));
        settings["PrintFlow:SignIn:MaxFailuresPerAccount"] = "3";
        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        using var atFirst = RawSession.Over(first);
        using var atSecond = RawSession.Over(second);

        (await atFirst.SignInAsync(Customer, "guess-1")).Dispose();
        (await atSecond.SignInAsync(Customer, "guess-2")).Dispose();
        using var third = await atFirst.SignInAsync(Customer, "guess-3");
        using var right = await atSecond.SignInAsync(Customer);

        Assert.StartsWith("/login?error=locked", third.Headers.Location!.OriginalString);
        Assert.StartsWith("/login?error=locked", right.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WhenTheRightPasswordFollowsFailures_StartsTheAccountCountAgain()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:SignIn:MaxFailuresPerAccount"] = "3" });
        using var person = RawSession.Over(host);

        (await person.SignInAsync(Customer, "typo-1")).Dispose();
        (await person.SignInAsync(Customer, "typo-2")).Dispose();
        (await person.SignInAsync(Customer)).Dispose();
        (await person.SignInAsync(Customer, "typo-3")).Dispose();
        using var fifth = await person.SignInAsync(Customer, "typo-4");

        Assert.StartsWith("/login?error=1", fifth.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WhenOneAddressTriesManyEmails_IsThrottledPerAddress()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:SignIn:MaxFailuresPerAddress"] = "3" });
        using var sprayer = RawSession.Over(host);

        for (var i = 0; i < 3; i++)
        {
            (await sprayer.SignInAsync($"someone-{i}@example.test", "Password1")).Dispose();
        }

        using var next = await sprayer.SignInAsync(Customer);
        Assert.StartsWith("/login?error=locked", next.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WhenTheEmailIsUnknown_ChecksAPasswordJustAsForAKnownOne()
    {
        using var host = new PrintFlowHost();
        var checks = new HashCounter();
        using var counted = host.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPasswordHasher<PrintFlow.Shop.Domain.Customer>>(new CountingHasher<PrintFlow.Shop.Domain.Customer>(checks));
            services.AddSingleton<IPasswordHasher<PrintFlow.Mes.Domain.MesAccount>>(new CountingHasher<PrintFlow.Mes.Domain.MesAccount>(checks));
            services.AddSingleton<IPasswordHasher<PrintFlow.Crm.Domain.SalesManager>>(new CountingHasher<PrintFlow.Crm.Domain.SalesManager>(checks));
        }));
        using var client = counted.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var session = new RawSession(client);

        async Task<int> ChecksForAsync(string email)
        {
            var before = checks.Verifications;
            using var response = await session.SignInAsync(email, "not-the-password");
            Assert.StartsWith("/login?error=1", response.Headers.Location!.OriginalString);
            return checks.Verifications - before;
        }

        var unknown = await ChecksForAsync("nobody@example.test");
        var knownCustomer = await ChecksForAsync(Customer);
        var knownOperator = await ChecksForAsync("operator@printflow.local");

        // One password check per account directory (Shop, MES, CRM), whether or not the email exists in it.
        Assert.Equal(3, unknown);
        Assert.Equal(unknown, knownCustomer);
        Assert.Equal(unknown, knownOperator);
    }

    [Fact]
    public async Task Register_WhenOneAddressRegistersPastTheLimit_IsThrottledWithAMessage()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:SignIn:MaxRegistrationsPerAddress"] = "2" });
        using var session = WebSession.Open(host);
        await session.RegisterAsync();
        await session.RegisterAsync();

        using var third = await session.PostFormFromAsync("/register", "/shop/register",
            ("displayName", "Third"), ("email", $"third-{Guid.NewGuid():N}@example.test"), ("password", "long-enough"));

        Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
        Assert.StartsWith("/register?error=register.throttled", third.Headers.Location!.OriginalString);
        Assert.True(third.Headers.RetryAfter is not null);
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync(third.Headers.Location!.OriginalString));
        Assert.Contains("Too many attempts from your address", page);
    }

    [Fact]
    public async Task Logout_WhenTheCookieWasCopiedBefore_TheCopyIsRefused()
    {
        using var host = new PrintFlowHost();
        using var person = RawSession.Over(host);
        using (var signIn = await person.SignInAsync(Customer))
        {
            Assert.Equal("/", signIn.Headers.Location!.OriginalString);
        }

        using var copy = person.CopyTo(host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
        using (var before = await copy.GetAsync("/orders"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var logout = await person.PostFormFromAsync("/login", "/account/logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        using var after = await copy.GetAsync("/orders");
        Assert.True(RawSession.IsRedirectToLogin(after), $"the copied cookie still opened /orders: {(int)after.StatusCode} {after.Headers.Location}");
    }

    [Fact]
    public async Task Logout_InTheProcessThatSignedIn_EndsTheSessionForThePeerThatOwnsTheAccount()
    {
        var shared = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
        using var mes = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "mes",
            ["PrintFlow:DataDirectory"] = shared,
            ["PrintFlow:Accounts:InternalKey"] = DistributedHostTests.InternalKey,
        });
        var mesAddress = mes.StartKestrel();
        using var shop = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "shop",
            ["PrintFlow:DataDirectory"] = shared,
            ["PrintFlow:Accounts:Peers:0"] = mesAddress.ToString(),
            ["PrintFlow:Accounts:InternalKey"] = DistributedHostTests.InternalKey,
        });
        var shopAddress = shop.StartKestrel();
        using var person = RawSession.Over(shopAddress);
        (await person.SignInAsync("operator@printflow.local")).Dispose();
        using var copyAtMes = person.CopyTo(new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = mesAddress });
        using (var before = await copyAtMes.GetAsync("/mes"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var logout = await person.PostFormFromAsync("/login", "/account/logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        // MES trusted the session for at most its check cache (5 s by default); then its own row says it ended.
        await Eventually.UntilAsync(async () =>
        {
            using var after = await copyAtMes.GetAsync("/mes");
            return RawSession.IsRedirectToLogin(after);
        }, "the copied cookie kept opening /mes after logout", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task SignIn_WhenAKnownProxyForwardsHttps_TheCookieIsSecure()
    {
        using var host = new PrintFlowHost();
        var address = host.StartKestrel(); // the test connects from 127.0.0.1: the default known proxy
        using var browser = RawSession.Over(address);
        browser.Headers["X-Forwarded-Proto"] = "https";

        using var signIn = await browser.SignInAsync(Customer);

        Assert.Equal("/", signIn.Headers.Location!.OriginalString);
        var cookie = browser.SetCookie(RawSession.AuthCookie);
        Assert.NotNull(cookie);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_WhenAnUnknownAddressClaimsHttps_TheCookieIsNotMarkedSecureAndItsClaimedAddressIsIgnored()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Http:KnownProxies:0"] = "10.255.255.1", // not the test's address
            ["PrintFlow:SignIn:MaxFailuresPerAddress"] = "2",
        });
        var address = host.StartKestrel();
        using var browser = RawSession.Over(address);
        browser.Headers["X-Forwarded-Proto"] = "https";

        using var signIn = await browser.SignInAsync(Customer);
        var cookie = browser.SetCookie(RawSession.AuthCookie);
        Assert.NotNull(cookie);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);

        // A direct client inventing a new X-Forwarded-For for each guess is still counted as the one address it is.
        for (var i = 0; i < 2; i++)
        {
            browser.Headers["X-Forwarded-For"] = $"203.0.113.{i + 1}";
            (await browser.SignInAsync($"someone-{i}@example.test", "guess")).Dispose();
        }

        browser.Headers["X-Forwarded-For"] = "203.0.113.99";
        using var next = await browser.SignInAsync("operator@printflow.local");
        Assert.StartsWith("/login?error=locked", next.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_WhenAKnownProxyForwardsDifferentClients_CountsEachClientApart()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:SignIn:MaxFailuresPerAddress"] = "2" });
        var address = host.StartKestrel();
        using var browser = RawSession.Over(address);
        browser.Headers["X-Forwarded-For"] = "203.0.113.7";
        for (var i = 0; i < 2; i++)
        {
            (await browser.SignInAsync($"someone-{i}@example.test", "guess")).Dispose();
        }

        using (var locked = await browser.SignInAsync("operator@printflow.local"))
        {
            Assert.StartsWith("/login?error=locked", locked.Headers.Location!.OriginalString);
        }

        browser.Headers["X-Forwarded-For"] = "203.0.113.8"; // another customer behind the same proxy
        using var other = await browser.SignInAsync("operator@printflow.local");
        Assert.Equal("/", other.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/login")]
    [InlineData("/no-such-page")]
    [InlineData("/health/ready")]
    public async Task Get_AnyResponse_CarriesTheSecurityHeaders(string path)
    {
        using var host = new PrintFlowHost();
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var response = await client.GetAsync(path);

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // Development, plain HTTP
    }

    [Fact]
    public async Task Get_InProductionOverHttps_SendsHstsAndKeepsTheKeysEncryptedAtRest()
    {
        var data = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["PrintFlow:DataDirectory"] = data,
            ["PrintFlow:DataProtection:CertificatePath"] = TestCertificates.CreatePfx(data),
            ["PrintFlow:DataProtection:CertificatePassword"] = "test-password",
        };
        using var host = new PrintFlowHost(settings);
        using var production = host.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        using var https = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://printflow.example/"), AllowAutoRedirect = false });
        using var http = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://printflow.example/"), AllowAutoRedirect = false });

        using var secure = await https.GetAsync("/login"); // a form page: its antiforgery token makes a key
        using var plain = await http.GetAsync("/login");

        Assert.Contains("max-age=", Assert.Single(secure.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
        var keys = Directory.GetFiles(Path.Combine(data, "keys"), "*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key);
            Assert.Contains("encryptedSecret", xml);
            Assert.DoesNotContain("This key is not encrypted", xml);
        }
    }

    [Fact]
    public async Task SignIn_WhenTheKeysAreEncrypted_StillWorksAfterARestartOnTheSameData()
    {
        var data = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["PrintFlow:DataDirectory"] = data,
            ["PrintFlow:DataProtection:CertificatePath"] = TestCertificates.CreatePfx(data),
            ["PrintFlow:DataProtection:CertificatePassword"] = "test-password",
        };
        Dictionary<string, string> cookies;
        using (var first = new PrintFlowHost(settings))
        {
            using var person = RawSession.Over(first);
            (await person.SignInAsync(Customer)).Dispose();
            cookies = new(person.Cookies);
            Assert.Contains("encryptedSecret", await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(data, "keys"), "*.xml")[0]));
        }

        using var second = new PrintFlowHost(settings);
        using var again = RawSession.Over(second);
        foreach (var (name, value) in cookies)
        {
            again.Cookies[name] = value;
        }

        using var orders = await again.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
    }

    [Fact]
    public async Task InternalAccountEndpoint_WhenWrongKeysKeepComing_AnswersTooManyRequestsEvenToTheRightKey()
    {
        using var mes = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "mes",
            ["PrintFlow:Accounts:InternalKey"] = DistributedHostTests.InternalKey,
            ["PrintFlow:SignIn:MaxInternalKeyFailuresPerAddress"] = "3",
        });
        using var client = mes.CreateClient();

        async Task<HttpResponseMessage> ValidateAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/accounts/validate")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { email = "operator@printflow.local", password = "demo-password" }),
            };
            request.Headers.Add(AccountPeers.KeyHeader, key);
            return await client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await ValidateAsync("guess-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ValidateAsync("guess-2")).StatusCode);
        using var third = await ValidateAsync("guess-3");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.NotNull(third.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ValidateAsync(DistributedHostTests.InternalKey)).StatusCode);
    }

    private sealed class HashCounter
    {
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public void Verified() => Interlocked.Increment(ref _verifications);
    }

    /// <summary>The real hasher (same algorithm and cost), counting the password checks made.</summary>
    private sealed class CountingHasher<TUser>(HashCounter counter) : IPasswordHasher<TUser> where TUser : class
    {
        private readonly PasswordHasher<TUser> _inner = new();

        public string HashPassword(TUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(TUser user, string hashedPassword, string providedPassword)
        {
            counter.Verified();
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
