using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

/// <summary>Requests with bad or missing API keys: throttled per client address, and never a piece of the key in the log.</summary>
public sealed class ApiKeyAttemptTests
{
    private static readonly IPAddress Guesser = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Neighbour = IPAddress.Parse("198.51.100.9");

    [Fact]
    public async Task BadKeys_WhenOneAddressSendsMoreThanItsAllowance_Get429BeforeAnyKeyIsLookedUp()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["Partners:InvalidKeyAttemptsPerMinute"] = "3" });
        _ = host.Services;

        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Guesser, "pfk_guess_1")).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Guesser, key: null)).Response.StatusCode); // a missing key counts too
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Guesser, "pfk_guess_2")).Response.StatusCode);

        var limited = await SendAsync(host, Guesser, "pfk_guess_3");
        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.Response.StatusCode);
        Assert.InRange(int.Parse(limited.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("\"code\":\"rate-limited\"", limited.Body);
        // Refused before the key is looked at: even a valid key from that address waits.
        Assert.Equal(StatusCodes.Status429TooManyRequests, (await SendAsync(host, Guesser, PartnerApi.DemoKey)).Response.StatusCode);

        // Another address is not affected.
        Assert.Equal(StatusCodes.Status200OK, (await SendAsync(host, Neighbour, PartnerApi.DemoKey)).Response.StatusCode);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await SendAsync(host, Neighbour, "pfk_guess_4")).Response.StatusCode);
    }

    [Fact]
    public async Task UnknownKey_WhenRejected_LeavesNoPartOfTheKeyInTheLog()
    {
        var log = new LogRecorder();
        using var host = new PrintFlowHost();
        using var logged = host.WithWebHostBuilder(b => b.ConfigureLogging(l => l
            .AddProvider(log)
            .AddFilter<LogRecorder>(null, LogLevel.Debug)));
        // Shaped like a real key; "ZQ" keeps its first characters apart from the demo keys' "pfk_demo" and "pfk_load".
        var key = "pfk_ZQ" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

        using var response = await logged.CreateClient().SendAsync(WithKey(key));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // No run of 6 characters of the key appears anywhere in what was logged (its first 8 were, before).
        var pieces = Enumerable.Range(0, key.Length - 5).Select(i => key.Substring(i, 6)).ToArray();
        Assert.DoesNotContain(log.Entries, e => pieces.Any(piece => e.Message.Contains(piece, StringComparison.Ordinal)));
        var fingerprint = Domain.PartnerApiKey.HashOf(key)[..8];
        Assert.Contains(log.Entries, e => e.Message.Contains(fingerprint, StringComparison.Ordinal)); // the rejection was logged
    }

    private static HttpRequestMessage WithKey(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, PartnerApi.Orders);
        request.Headers.Add("X-Api-Key", key);
        return request;
    }

    /// <summary>A request as if from <paramref name="address"/> (the test server has none of its own).</summary>
    private static async Task<(HttpResponse Response, string Body)> SendAsync(PrintFlowHost host, IPAddress address, string? key)
    {
        var context = await host.Server.SendAsync(http =>
        {
            http.Request.Method = HttpMethods.Get;
            http.Request.Path = PartnerApi.Orders;
            http.Connection.RemoteIpAddress = address;
            if (key is not null)
            {
                http.Request.Headers["X-Api-Key"] = key;
            }
        });
        return (context.Response, await new StreamReader(context.Response.Body).ReadToEndAsync());
    }
}
