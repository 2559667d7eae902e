using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrintFlow.Testing;

/// <summary>
/// A partner's webhook receiver, run by the test: Kestrel on a loopback port. It checks every request's
/// <c>PrintFlow-Signature</c> the way docs/partner-api.md tells partners to (HMAC-SHA256 of "t.body", five minutes'
/// tolerance) and records each event; it can be down (connections dropped), failing (503), slow (held until released).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedEvent> _received = new();
    private volatile TaskCompletionSource? _hold;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The secrets a signature may match (the partner's current one, and during a rotation the next).</summary>
    public ConcurrentBag<string> Secrets { get; } = [];

    public Uri Url { get; private set; } = null!;
    public int Port => Url.Port;

    /// <summary>Drop every connection without an answer (a receiver that is down).</summary>
    public volatile bool Down;

    /// <summary>Answer with this status instead of 200 (and a long body, to prove only a prefix is kept).</summary>
    public volatile int Status = 200;

    public IReadOnlyList<ReceivedEvent> Received => [.. _received];

    /// <summary>Requests are held until <see cref="Release"/>; a slow endpoint.</summary>
    public void Hold() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => Interlocked.Exchange(ref _hold, null)?.TrySetResult();

    public int Requests;

    public static async Task<WebhookReceiver> StartAsync(string path = "/hooks/printflow")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost(path, receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), path);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref Requests);
        if (Down)
        {
            context.Abort();
            return;
        }

        if (_hold is { } hold)
        {
            await hold.Task.WaitAsync(context.RequestAborted);
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var header = context.Request.Headers["PrintFlow-Signature"].ToString();
        var valid = Secrets.Any(secret => Verify(secret, header, body, TimeSpan.FromMinutes(5)));
        var status = Status;
        if (status is >= 200 and < 300)
        {
            using var document = JsonDocument.Parse(body);
            _received.Enqueue(new ReceivedEvent(
                document.RootElement.GetProperty("id").GetGuid(),
                document.RootElement.Clone(),
                header,
                valid,
                context.Request.Headers["PrintFlow-Event-Id"].ToString(),
                body));
        }

        context.Response.StatusCode = status;
        if (status is >= 300 and < 400)
        {
            context.Response.Headers.Location = "http://169.254.169.254/latest/meta-data/";
        }

        await context.Response.WriteAsync(new string('x', 10_000));
    }

    /// <summary>The receiver's check, as the docs show it in C#.</summary>
    public static bool Verify(string secret, string header, byte[] body, TimeSpan tolerance)
    {
        long? timestamp = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length == 2 && kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (kv.Length == 2 && kv[0] == "v1")
            {
                signatures.Add(kv[1]);
            }
        }

        if (timestamp is null || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp.Value) > tolerance.TotalSeconds)
        {
            return false; // missing or too old: a replay
        }

        var signed = Encoding.UTF8.GetBytes(timestamp.Value.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedEvent(Guid Id, JsonElement Body, string Signature, bool SignatureValid, string EventIdHeader, byte[] Raw)
{
    public string Status => Body.GetProperty("data").GetProperty("status").GetString()!;
    public int Version => Body.GetProperty("data").GetProperty("version").GetInt32();
    public Guid OrderId => Body.GetProperty("data").GetProperty("orderId").GetGuid();
}
