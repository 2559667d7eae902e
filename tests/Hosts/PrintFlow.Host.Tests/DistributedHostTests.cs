using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Host.Tests;

/// <summary>The same executable run as one process per service: which services a process runs, sign-in across them, live pages across instances.</summary>
[Trait("Category", "Infrastructure")]
public sealed class DistributedHostTests
{
    /// <summary>A key of the length start-up insists on (at least 32 characters).</summary>
    public const string InternalKey = "test-internal-key-0123456789abcdef0123456789";

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
    public async Task SignIn_WhenTheAccountLivesInAPeerProcess_SignsInThroughThePeerAndTheCookieWorksThere()
    {
        var shared = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));
        using var mes = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "mes",
            ["PrintFlow:DataDirectory"] = shared,
            ["PrintFlow:Accounts:InternalKey"] = InternalKey,
        });
        var mesAddress = mes.StartKestrel();
        using var shop = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "shop",
            ["PrintFlow:DataDirectory"] = shared,
            ["PrintFlow:Accounts:Peers:0"] = mesAddress.ToString(),
            ["PrintFlow:Accounts:InternalKey"] = InternalKey,
        });

        var shopAddress = shop.StartKestrel();

        // One browser: cookies are not port-specific, so the cookie the Shop process issues goes to MES too.
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var session = new WebSession(new HttpClient(handler, disposeHandler: false) { BaseAddress = shopAddress });
        session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(PrintFlowHost.TestLanguage);
        await session.SignInAsync("operator@printflow.local");

        // The cookie the Shop process issued opens MES in the other process (shared data-protection keys).
        using var mesClient = new HttpClient(handler, disposeHandler: false) { BaseAddress = mesAddress };
        mesClient.DefaultRequestHeaders.AcceptLanguage.ParseAdd(PrintFlowHost.TestLanguage);
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
            ["PrintFlow:Accounts:InternalKey"] = InternalKey,
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
    public async Task Start_WhenTwoInstancesSeedOneNewPostgresDatabaseAtOnce_TheDemoRowsAreSeededOnceAndNothingFails()
    {
        await using var partners = await PostgresTestDatabase.CreateAsync("seed_partners");
        await using var shop = await PostgresTestDatabase.CreateAsync("seed_shop");
        await using var crm = await PostgresTestDatabase.CreateAsync("seed_crm");
        var settings = PrintFlowHost.OnPostgres(
            ("partners", partners.ConnectionString), ("shop", shop.ConnectionString), ("crm", crm.ConnectionString));
        var log = new LogRecorder();
        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        using var firstLogged = first.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        using var secondLogged = second.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));

        await Task.WhenAll(Task.Run(() => firstLogged.Services), Task.Run(() => secondLogged.Services));

        Assert.Empty(log.Errors);
        // The demo and the load-test partner, the demo customer, the demo sales manager.
        Assert.Equal(2L, await CountAsync(partners, "partners"));
        Assert.Equal(1L, await CountAsync(shop, "customers"));
        Assert.Equal(1L, await CountAsync(crm, "sales_managers"));
    }

    [Fact]
    public async Task Save_WhenTheDatabaseRefusesIt_TheCallerGetsTheExceptionAndNothingIsLoggedAsAnError()
    {
        await using var crm = await PostgresTestDatabase.CreateAsync("refused_crm");
        var log = new LogRecorder();
        using var host = new PrintFlowHost(PrintFlowHost.OnPostgres(("crm", crm.ConnectionString)));
        using var logged = host.WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(log)));
        var messageId = Guid.NewGuid();

        await SaveInboxRowAsync(logged.Services, messageId);
        // The same key again, as a redelivered message's inbox row (or a key a parallel batch took first) is refused:
        // the caller handles that, so it must not read like a failure in the log.
        await Assert.ThrowsAsync<DbUpdateException>(() => SaveInboxRowAsync(logged.Services, messageId));

        Assert.Empty(log.Errors);
    }

    private static async Task SaveInboxRowAsync(IServiceProvider services, Guid messageId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrintFlow.Crm.Data.CrmDbContext>();
        db.Inbox.Add(new InboxMessage { MessageId = messageId, Consumer = "crm:test", Name = "orders.submitted", ProcessedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private static async Task<long> CountAsync(PostgresTestDatabase database, string table)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task LiveFeed_WhenTwoInstancesShareAPostgresBackplane_ANoticeOnOneReachesPagesOfTheOther()
    {
        await using var pair = await BackplanePair.StartAsync("job-added");

        Assert.Equal("job-added", pair.Page.Current.Data);
    }

    [Fact]
    public async Task LiveFeed_WhenABurstOfLikeNoticesIsSent_TheOtherInstanceGetsEachDistinctOneFewTimesAndTheLastOne()
    {
        await using var pair = await BackplanePair.StartAsync("listening");

        for (var i = 0; i < 50; i++)
        {
            pair.Sender.Notify(BackplanePair.Topic, "job-changed");
        }

        pair.Sender.Notify(BackplanePair.Topic, "job-added");

        // Notices arrive in the order they were sent, so the last one ends the burst: before it, at most the first
        // "job-changed" (sent at once) and the rest of them as one.
        var received = new List<string>();
        do
        {
            Assert.True(await pair.Page.MoveNextAsync());
            received.Add(pair.Page.Current.Data);
        }
        while (pair.Page.Current.Data != "job-added");

        // (A late "listening" of the warm-up may come first.)
        Assert.InRange(received.Count(d => d == "job-changed"), 1, 2);
        Assert.Equal(["job-changed", "job-added"], received.Where(d => d != "listening").Distinct());
    }

    /// <summary>
    /// Two instances of one service sharing a PostgreSQL backplane, a page of the second subscribed to <see cref="Topic"/>,
    /// and the first notice from the first instance read by that page: it is sent until it arrives, since the second
    /// instance's listener may still be starting.
    /// </summary>
    private sealed class BackplanePair : IAsyncDisposable
    {
        public const string Topic = "test.topic";
        private readonly PostgresTestDatabase _database;
        private readonly PrintFlowHost _first;
        private readonly PrintFlowHost _second;
        private readonly CancellationTokenSource _cancel = new(TimeSpan.FromSeconds(30));

        private BackplanePair(PostgresTestDatabase database)
        {
            _database = database;
            var settings = new Dictionary<string, string?>
            {
                ["PrintFlow:Services"] = "pricing",
                ["ConnectionStrings:live"] = database.ConnectionString,
            };
            _first = new PrintFlowHost(settings);
            _second = new PrintFlowHost(settings);
            Sender = _first.Services.GetRequiredService<LiveFeed>();
            Page = _second.Services.GetRequiredService<LiveFeed>().SubscribeAsync(Topic, _cancel.Token).GetAsyncEnumerator(_cancel.Token);
        }

        public LiveFeed Sender { get; }
        public IAsyncEnumerator<System.Net.ServerSentEvents.SseItem<string>> Page { get; }

        public static async Task<BackplanePair> StartAsync(string firstNotice)
        {
            var pair = new BackplanePair(await PostgresTestDatabase.CreateAsync("live"));
            try
            {
                Assert.True(await pair.Page.MoveNextAsync()); // "connected"
                var next = pair.Page.MoveNextAsync().AsTask();
                await Eventually.UntilAsync(() =>
                {
                    pair.Sender.Notify(Topic, firstNotice);
                    return Task.FromResult(next.IsCompleted);
                }, done => done, "the notice reached the other instance");
                Assert.True(await next);
                return pair;
            }
            catch
            {
                await pair.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Page.DisposeAsync();
            _second.Dispose();
            _first.Dispose();
            _cancel.Dispose();
            await _database.DisposeAsync();
        }
    }
}
