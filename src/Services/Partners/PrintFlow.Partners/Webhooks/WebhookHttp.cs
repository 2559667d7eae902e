using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Partners.Webhooks;

/// <summary>A delivery's address was refused at connection time (SSRF or DNS rebinding).</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>What one attempt got back: the status (none when no response), a bounded body prefix, or the error.</summary>
public sealed record WebhookResponse(int? StatusCode, string? BodyPrefix, string? Error, bool Refused = false)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// The HTTP client deliveries go through: it connects only to addresses <see cref="AddressPolicy"/> allows (checked on
/// the address actually connected to, after this process's own DNS lookup, so a name re-pointed after registration is
/// refused), never follows redirects, bounds connect and total time, response headers, and reads at most a small
/// prefix of the response body.
/// </summary>
public sealed class WebhookHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly IOptionsMonitor<WebhookOptions> _options;

    public WebhookHttp(IOptionsMonitor<WebhookOptions> options, WebhookUrlPolicy policy, IWebhookHostResolver resolver)
    {
        _options = options;
        var settings = options.CurrentValue;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false, // a proxy would connect on our behalf, past the address check
            ConnectTimeout = settings.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(1), // a pooled connection keeps its checked address, for a minute at most
            MaxConnectionsPerServer = settings.MaxConcurrencyPerEndpoint,
            MaxResponseHeadersLength = 16, // KiB
            AutomaticDecompression = DecompressionMethods.None,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, policy, resolver, cancellationToken),
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("PrintFlow-Webhooks", "1"));
    }

    private static async ValueTask<Stream> ConnectAsync(
        SocketsHttpConnectionContext context, WebhookUrlPolicy policy, IWebhookHostResolver resolver, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var allowListed = policy.IsAllowListed(host);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        var allowed = allowListed ? addresses : [.. addresses.Where(a => AddressPolicy.Refusal(a) is null)];
        if (allowed.Length == 0)
        {
            var first = addresses.FirstOrDefault();
            throw new WebhookAddressRefusedException(first is null
                ? $"'{host}' did not resolve."
                : $"'{host}' resolves to {first}, a {WebhookUrlPolicy.Describe(AddressPolicy.Refusal(first) ?? "reserved")} address; refused.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            // The address really connected to, checked again: what matters is where the bytes go.
            if (socket.RemoteEndPoint is IPEndPoint remote && !allowListed && AddressPolicy.Refusal(remote.Address) is { } reason)
            {
                throw new WebhookAddressRefusedException($"'{host}' connected to {remote.Address}, a {WebhookUrlPolicy.Describe(reason)} address; refused.");
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<WebhookResponse> PostAsync(Uri url, byte[] body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var prefix = await ReadPrefixAsync(response, settings.ResponsePrefixBytes, timeout.Token);
            var status = (int)response.StatusCode;
            var error = status is >= 300 and < 400
                ? $"HTTP {status}: redirects are not followed; register the final URL."
                : status is >= 200 and < 300 ? null : $"HTTP {status}";
            return new WebhookResponse(status, prefix, error);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookResponse(null, null, $"No answer within {settings.Timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException exception) when (exception.InnerException is WebhookAddressRefusedException refused)
        {
            return new WebhookResponse(null, null, refused.Message, Refused: true);
        }
        catch (HttpRequestException exception)
        {
            return new WebhookResponse(null, null, exception.Message);
        }
    }

    /// <summary>At most <paramref name="limit"/> bytes of the body, decoded as UTF-8: the rest is never read.</summary>
    private static async Task<string?> ReadPrefixAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (limit == 0)
        {
            return null;
        }

        var buffer = new byte[limit];
        var read = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            while (read < limit)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read, limit - read), cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            // The status already answered the question; a body cut short changes nothing.
        }

        return read == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    public void Dispose() => _client.Dispose();
}
