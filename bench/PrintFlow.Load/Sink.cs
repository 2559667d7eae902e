using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MimeKit;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PrintFlow.Load;

/// <summary>
/// <c>printflow-load sink</c>: an SMTP server and a partner's webhook receiver in one process, for bench/faults.sh to
/// start and kill. Every email it accepts and every webhook it answers 200 is appended to one file as a line
/// (tab-separated): <c>email  message-id  order  kind</c> or <c>webhook  event-id  order  version  status  signature-valid</c>.
/// A line is written and flushed before the sender hears "accepted", so what was acknowledged is on disk.
/// </summary>
internal static class Sink
{
    public const string Usage = "printflow-load sink --smtp-port 2525 --http-port 8090 --out received.tsv [--secret-file secret.txt]";

    public static async Task<int> RunAsync(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (!values.TryGetValue("--out", out var outFile)
            || !int.TryParse(values.GetValueOrDefault("--smtp-port"), NumberStyles.None, CultureInfo.InvariantCulture, out var smtpPort)
            || !int.TryParse(values.GetValueOrDefault("--http-port"), NumberStyles.None, CultureInfo.InvariantCulture, out var httpPort))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var log = new Recorder(outFile, values.GetValueOrDefault("--secret-file"));
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        var smtpOptions = new SmtpServerOptionsBuilder()
            .ServerName("printflow-sink")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, smtpPort)))
            .Build();
        var services = new ServiceProvider();
        services.Add(new Store(log));
        var smtp = new SmtpServer.SmtpServer(smtpOptions, services).StartAsync(stop.Token);

        using var http = new HttpListener();
        http.Prefixes.Add($"http://127.0.0.1:{httpPort}/");
        http.Start();
        Console.WriteLine($"sink: SMTP on 127.0.0.1:{smtpPort}, webhooks on http://127.0.0.1:{httpPort}/, recording to {outFile}");
        using var registration = stop.Token.Register(http.Stop);
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await http.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                break;
            }

            _ = Task.Run(() => HandleAsync(context, log));
        }

        try
        {
            await smtp;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        return 0;
    }

    private static async Task HandleAsync(HttpListenerContext context, Recorder log)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var body = buffer.ToArray();
            using var document = JsonDocument.Parse(body);
            var data = document.RootElement.GetProperty("data");
            var valid = log.Verify(context.Request.Headers["PrintFlow-Signature"] ?? "", body);
            log.Write(string.Join('\t', "webhook",
                document.RootElement.GetProperty("id").GetString(),
                data.GetProperty("orderId").GetString(),
                data.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture),
                data.GetProperty("status").GetString(),
                valid ? "valid" : "invalid"));
            context.Response.StatusCode = 200;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            context.Response.StatusCode = 400;
        }

        context.Response.Close();
    }

    /// <summary>Appends lines to the record, one writer at a time; checks signatures with the partner's secret.</summary>
    private sealed class Recorder(string path, string? secretFile)
    {
        private readonly Lock _gate = new();

        public void Write(string line)
        {
            lock (_gate)
            {
                using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
        }

        /// <summary>The check docs/partner-api.md gives partners: HMAC-SHA256 of "t.body", five minutes' tolerance.</summary>
        public bool Verify(string header, byte[] body)
        {
            if (secretFile is null || !File.Exists(secretFile))
            {
                return false;
            }

            var secret = File.ReadAllText(secretFile).Trim();
            long? t = null;
            var signatures = new List<string>();
            foreach (var part in header.Split(','))
            {
                var kv = part.Split('=', 2);
                if (kv.Length == 2 && kv[0] == "t" && long.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    t = seconds;
                }
                else if (kv.Length == 2 && kv[0] == "v1")
                {
                    signatures.Add(kv[1]);
                }
            }

            if (t is null || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t.Value) > 300)
            {
                return false;
            }

            var signed = Encoding.UTF8.GetBytes(t.Value.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
            var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
            return signatures.Any(s => CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(s)));
        }
    }

    private sealed class Store(Recorder log) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            log.Write(string.Join('\t', "email", message.MessageId, message.Headers["X-PrintFlow-Order"], message.Headers["X-PrintFlow-Kind"]));
            return SmtpResponse.Ok;
        }
    }
}
