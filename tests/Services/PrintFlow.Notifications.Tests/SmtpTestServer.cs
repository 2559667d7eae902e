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

namespace PrintFlow.Notifications.Tests;

/// <summary>
/// A real SMTP server on a loopback port of its own (the SmtpServer package), which the test can stop and start
/// again on the same port. Recipients whose address starts with "refuse-" are refused at DATA with 554.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private CancellationTokenSource? _running;
    private Task? _serving;

    public SmtpTestServer()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>How many times a message was refused.</summary>
    public int Refused => _refused;

    private int _refused;

    public IReadOnlyList<MimeMessage> To(string recipient) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase)))];

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
        // Listening once a client can connect.
        await PrintFlow.Testing.Eventually.UntilAsync(async () =>
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
        }, "the SMTP test server listens");
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

    private sealed class Store(SmtpTestServer owner) : MessageStore
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
