using System.Net;
using Npgsql;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Partners.Tests;

/// <summary>
/// A partner's limit holds across Partners instances: two real hosts on one database, requests alternating between
/// them. With the count in each instance's memory, each let the partner make its whole limit.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class SharedRateLimitTests
{
    private const int Limit = 4;

    [Fact]
    public async Task Requests_AlternatingBetweenTwoInstancesOnPostgres_GetExactlyTheLimitThen429()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("partners_limit");
        var settings = PrintFlowHost.OnPostgres(("partners", database.ConnectionString));
        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        await AssertSharedLimitAsync(first, second);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var persistence = new NpgsqlCommand("SELECT relpersistence FROM pg_class WHERE relname = 'partner_request_counts'", connection);
        Assert.Equal('u', (char)(await persistence.ExecuteScalarAsync())!); // unlogged: its commits wait for no WAL flush
    }

    [Fact]
    public async Task Requests_AlternatingBetweenTheEmbeddedHostAndASecondInstanceOnItsSqliteFile_GetExactlyTheLimitThen429()
    {
        using var embedded = new PrintFlowHost();
        _ = embedded.Services;
        using var second = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["PrintFlow:Services"] = "partners",
            ["PrintFlow:DataDirectory"] = embedded.DataDirectory,
        });

        await AssertSharedLimitAsync(embedded, second);
    }

    private static async Task AssertSharedLimitAsync(PrintFlowHost first, PrintFlowHost second)
    {
        var partner = await PartnerApi.CreatePartnerAsync(first, "Twin Instance Prints", requestsPerMinute: Limit);
        using var one = PartnerApi.ClientWithKey(first, partner.ApiKey);
        using var two = PartnerApi.ClientWithKey(second, partner.ApiKey);
        HttpClient[] clients = [one, two];

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Limit + 2; i++)
        {
            using var response = await clients[i % 2].GetAsync(PartnerApi.Orders);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("rate-limited", await PartnerApi.ProblemCodeAsync(response));
                Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
            }
        }

        // The window starts with the partner's first request, so all of these fall in one.
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, Limit), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }
}
