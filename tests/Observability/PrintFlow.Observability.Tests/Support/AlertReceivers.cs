using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PrintFlow.Observability.Tests.Support;

/// <summary>One notification as the on-call receives it: the alert's name and whether it fires or resolved.</summary>
internal sealed record ReceivedAlert(string Channel, string AlertName, string Status, DateTimeOffset At);

/// <summary>
/// What the on-call person's email and webhook would receive from Alertmanager: a real SMTP server (the SmtpServer
/// package) and an HTTP listener, each on a free loopback port, recording every notification.
/// </summary>
internal sealed class AlertReceivers : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpListener _http = new();
    private Task? _smtp;
    private Task? _webhook;

    public int SmtpPort { get; } = FreePort();

    public Uri WebhookUrl { get; } = new($"http://127.0.0.1:{FreePort()}/alerts/");

    public ConcurrentQueue<ReceivedAlert> Received { get; } = new();

    public bool Has(string channel, string alertName, string status) =>
        Received.Any(a => a.Channel == channel && a.AlertName == alertName && a.Status == status);

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, SmtpPort)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        _smtp = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);

        _http.Prefixes.Add(WebhookUrl.ToString());
        _http.Start();
        _webhook = Task.Run(ServeWebhookAsync);

        await PrintFlow.Testing.Eventually.UntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, SmtpPort);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "the SMTP receiver listens");
    }

    private async Task ServeWebhookAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _http.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                // Alertmanager's webhook body: {"status": "firing"|"resolved", "alerts": [{"status", "labels": {...}}]}.
                using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                foreach (var alert in body.RootElement.GetProperty("alerts").EnumerateArray())
                {
                    Received.Enqueue(new ReceivedAlert("webhook", alert.GetProperty("labels").GetProperty("alertname").GetString()!,
                        alert.GetProperty("status").GetString()!, DateTimeOffset.UtcNow));
                }

                context.Response.StatusCode = 200;
            }
            catch (JsonException)
            {
                context.Response.StatusCode = 400;
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _http.Close();
        foreach (var task in new[] { _smtp, _webhook })
        {
            try
            {
                if (task is not null)
                {
                    await task;
                }
            }
            catch (OperationCanceledException)
            {
                // stopped as asked
            }
        }

        _stop.Dispose();
    }

    private sealed class Store(AlertReceivers owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            // Alertmanager's default subject: "[FIRING:1] PrintFlowOrdersStuck PriceCalculating" or "[RESOLVED] ...".
            var subject = message.Subject ?? "";
            var status = subject.StartsWith("[RESOLVED]", StringComparison.Ordinal) ? "resolved" : "firing";
            var name = subject.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) ?? "";
            owner.Received.Enqueue(new ReceivedAlert("email", name, status, DateTimeOffset.UtcNow));
            return SmtpResponse.Ok;
        }
    }
}
