using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Host.Tests;

/// <summary>The same executable run as one process per service: which services a process runs, sign-in across them, live pages across instances.</summary>
public sealed class DistributedHostTests
{
    [Fact]
    public async Task Start_WhenServicesNamesOnlyPricing_ServesNoPages()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:Services"] = "pricing" });
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/mes")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/partners/v1/orders")).StatusCode);
        Assert.DoesNotContain(host.Services.GetServices<IDatabaseInitializer>(), i => i.Name != "PricingDbContext");
    }

    [Fact]
    public void Start_WhenServicesNamesAnUnknownService_FailsWithTheKnownNames()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:Services"] = "ordering,billing" });

        var error = Assert.Throws<InvalidOperationException>(() => host.Services);
        Assert.Contains("billing", error.Message);
        Assert.Contains("ordering, pricing, shop, partners, mes, crm", error.Message);
    }

    [Fact]
    public async Task SignIn_WhenTheAccountLivesInAPeerProcess_SignsInThroughThePeerAndTheCookieWorksThere()
    {
        var shared = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
        using var mes = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "mes",
            ["PrintFlow:DataDirectory"] = shared,
            ["PrintFlow:Accounts:InternalKey"] = "test-internal-key",
        });
        var mesAddress = mes.StartKestrel();
        using var shop = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "shop",
            ["PrintFlow:DataDirectory"] = shared,
            ["PrintFlow:Accounts:Peers:0"] = mesAddress.ToString(),
            ["PrintFlow:Accounts:InternalKey"] = "test-internal-key",
        });

        var shopAddress = shop.StartKestrel();

        // One browser: cookies are not port-specific, so the cookie the Shop process issues goes to MES too.
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var session = new WebSession(new HttpClient(handler, disposeHandler: false) { BaseAddress = shopAddress });
        await session.SignInAsync("operator@printflow.local");

        // The cookie the Shop process issued opens MES in the other process (shared data-protection keys).
        using var mesClient = new HttpClient(handler, disposeHandler: false) { BaseAddress = mesAddress };
        using var response = await mesClient.GetAsync("/mes");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"take-next\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InternalAccountEndpoint_WhenTheKeyIsWrong_Answers401()
    {
        using var mes = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "mes",
            ["PrintFlow:Accounts:InternalKey"] = "right-key",
        });
        using var client = mes.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/internal/accounts/validate")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { email = "operator@printflow.local", password = "demo-password" }),
        };
        request.Headers.Add(AccountPeers.KeyHeader, "wrong-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task LiveFeed_WhenTwoInstancesShareAPostgresBackplane_ANoticeOnOneReachesPagesOfTheOther()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("live");
        var settings = new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "pricing",
            ["ConnectionStrings:live"] = database.ConnectionString,
        };
        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        var sender = first.Services.GetRequiredService<LiveFeed>();
        var receiver = second.Services.GetRequiredService<LiveFeed>();

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = receiver.SubscribeAsync("test.topic", cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await stream.MoveNextAsync()); // "connected"
        var next = stream.MoveNextAsync().AsTask();

        // The listener of the second instance may still be starting: notify until the notice arrives.
        await Eventually.UntilAsync(() =>
        {
            sender.Notify("test.topic", "job-added");
            return Task.FromResult(next.IsCompleted);
        }, done => done, "the notice reached the other instance");
        Assert.True(await next);
        Assert.Equal("job-added", stream.Current.Data);
    }

    [Fact]
    public async Task LiveFeed_WhenABurstOfLikeNoticesIsSent_TheOtherInstanceGetsEachDistinctOneFewTimesAndTheLastOne()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("live");
        var settings = new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "pricing",
            ["ConnectionStrings:live"] = database.ConnectionString,
        };
        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        var sender = first.Services.GetRequiredService<LiveFeed>();
        var receiver = second.Services.GetRequiredService<LiveFeed>();

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = receiver.SubscribeAsync("test.topic", cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await stream.MoveNextAsync()); // "connected"
        var next = stream.MoveNextAsync().AsTask();
        await Eventually.UntilAsync(() =>
        {
            sender.Notify("test.topic", "listening");
            return Task.FromResult(next.IsCompleted);
        }, done => done, "the other instance listens");
        Assert.True(await next);

        for (var i = 0; i < 50; i++)
        {
            sender.Notify("test.topic", "job-changed");
        }

        sender.Notify("test.topic", "job-added");

        // Notices arrive in the order they were sent, so the last one ends the burst: before it, at most the first
        // "job-changed" (sent at once) and the rest of them as one.
        var received = new List<string>();
        do
        {
            Assert.True(await stream.MoveNextAsync());
            received.Add(stream.Current.Data);
        }
        while (stream.Current.Data != "job-added");

        // (A late "listening" of the warm-up may come first.)
        Assert.InRange(received.Count(d => d == "job-changed"), 1, 2);
        Assert.Equal(["job-changed", "job-added"], received.Where(d => d != "listening").Distinct());
    }
}
