using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PrintFlow.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port, keeping every message it accepts; it can be
/// stopped and started again on the same port (a mail server that is down for a while). Point the Notifications
/// sender at it with <see cref="NotificationSettings"/>. Recipients whose address starts with "refuse-" are refused at
/// DATA with 554, for tests of a server that turns a message away.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private CancellationTokenSource? _running;
    private Task? _serving;

    public SmtpSink(int port = 0)
    {
        Port = port == 0 ? FreePort() : port;
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>How many times a message was refused.</summary>
    public int Refused => _refused;

    private int _refused;

    public IReadOnlyList<MimeMessage> To(string recipient) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The settings that make the Notifications service send over SMTP to this sink, without TLS.</summary>
    public IEnumerable<KeyValuePair<string, string?>> NotificationSettings() =>
    [
        new("Notifications:Delivery", "Smtp"),
        new("Notifications:Smtp:Host", "127.0.0.1"),
        new("Notifications:Smtp:Port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Notifications:Smtp:Security", "None"),
    ];

    /// <summary>A loopback port nothing listens on at the moment of asking.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async Task StartAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(this));
        var server = new SmtpServer.SmtpServer(options, services);
        _running = new CancellationTokenSource();
        _serving = server.StartAsync(_running.Token);
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, "the SMTP sink listens");
    }

    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _running.CancelAsync();
        try
        {
            await _serving!;
        }
        catch (OperationCanceledException)
        {
            // stopped as asked
        }

        _running.Dispose();
        _running = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private sealed class Store(SmtpSink owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (transaction.To.Any(m => m.User.StartsWith("refuse-", StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref owner._refused);
                return new SmtpResponse(SmtpReplyCode.TransactionFailed, "refused by the test server");
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            owner.Received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
