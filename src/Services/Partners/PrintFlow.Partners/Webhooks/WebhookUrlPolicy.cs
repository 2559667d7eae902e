using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Partners.Webhooks;

/// <summary>A webhook URL refused, with a problem code and a sentence a person understands.</summary>
public sealed record UrlRefusal(string Code, string Detail);

/// <summary>
/// Decides whether a webhook URL may be registered and which addresses a delivery may connect to. Registration resolves
/// the host once; delivery checks again the address it actually connects to (<see cref="WebhookHttp"/>), so a DNS answer
/// that changes later (rebinding) is refused there.
/// </summary>
public sealed class WebhookUrlPolicy(IOptionsMonitor<WebhookOptions> options, IHostEnvironment environment, IWebhookHostResolver resolver)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    public bool IsAllowListed(string host) =>
        options.CurrentValue.AllowedHosts.Any(h => string.Equals(h.Trim().Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The URL parsed, or the refusal; null refusal means accepted.</summary>
    public async Task<(Uri? Url, UrlRefusal? Refusal)> CheckAsync(string? text, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, new("webhook.url-missing", "Give the URL PrintFlow should send events to."));
        }

        if (text.Length > settings.MaxUrlLength)
        {
            return (null, new("webhook.url-too-long", $"The URL may be at most {settings.MaxUrlLength} characters."));
        }

        // On Unix "/path" parses as an absolute file: URI; only a URL that names its scheme counts as absolute here.
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url)
            || !text.TrimStart().StartsWith(url.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new("webhook.url-invalid", "The URL is not an absolute URL such as https://hooks.example.com/printflow."));
        }

        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return (null, new("webhook.url-scheme", $"Only https URLs are accepted, not '{url.Scheme}'."));
        }

        if (url.UserInfo.Length > 0)
        {
            return (null, new("webhook.url-userinfo", "The URL must not carry a user name or password; the signature authenticates PrintFlow."));
        }

        if (url.Fragment.Length > 0)
        {
            return (null, new("webhook.url-invalid", "The URL must not have a fragment (#…)."));
        }

        var host = url.IdnHost;
        var allowListed = IsAllowListed(host);
        if (url.Scheme == Uri.UriSchemeHttp && environment.IsProduction() && !allowListed)
        {
            return (null, new("webhook.url-https-required", "Webhook URLs must use https."));
        }

        if (allowListed)
        {
            return (url, null);
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await resolver.ResolveAsync(host, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException
                                              && !cancellationToken.IsCancellationRequested)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                return (null, new("webhook.url-unresolvable", $"The host '{host}' could not be resolved; register a URL whose name resolves to a public address."));
            }
        }

        foreach (var address in addresses)
        {
            if (AddressPolicy.Refusal(address) is { } reason)
            {
                return (null, new("webhook.url-address-refused",
                    $"The host '{host}' resolves to {address}, a {Describe(reason)} address; webhooks go only to public internet addresses."));
            }
        }

        return (url, null);
    }

    public static string Describe(string reason) => reason switch
    {
        "loopback" => "loopback",
        "private" => "private-network",
        "link-local" => "link-local",
        "cgnat" => "carrier-grade NAT",
        "metadata" => "cloud metadata",
        "unspecified" => "unspecified",
        "multicast" => "multicast",
        _ => "reserved",
    };
}
