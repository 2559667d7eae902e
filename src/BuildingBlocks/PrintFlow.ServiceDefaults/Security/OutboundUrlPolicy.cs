using System.Net;
using System.Net.Sockets;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>Why an outbound URL was refused; each caller words it (and names its problem code) for its own readers.</summary>
public enum OutboundUrlProblem
{
    Missing,
    TooLong,
    Invalid,
    Scheme,
    UserInfo,
    Fragment,
    Query,
    HttpsRequired,
    Unresolvable,
    AddressRefused,
}

/// <summary>A refusal: the problem, the URL's host (or scheme, for <see cref="OutboundUrlProblem.Scheme"/>) and, for a refused address, the address and its class.</summary>
public sealed record OutboundUrlRefusal(OutboundUrlProblem Problem, string? Subject = null, IPAddress? Address = null, string? AddressClass = null);

/// <summary>What differs between the callers of <see cref="OutboundUrlPolicy"/> (webhooks, printers).</summary>
public sealed record OutboundUrlRules
{
    public required int MaxLength { get; init; }

    /// <summary>Whether a query string is accepted (a webhook's may carry one; a printer's base address may not).</summary>
    public bool AllowQuery { get; init; } = true;

    /// <summary>Whether plain http is refused for hosts that are not allow-listed.</summary>
    public bool RequireHttps { get; init; }

    /// <summary>Hosts that skip the address check (and may use http): test and local receivers.</summary>
    public Func<string, bool> IsAllowListed { get; init; } = _ => false;

    /// <summary>Null when a call may reach the address, else its class; <see cref="AddressPolicy.Refusal"/> (public only) by default.</summary>
    public Func<IPAddress, string?> AddressRefusal { get; init; } = AddressPolicy.Refusal;

    /// <summary>Resolves a host name; tests give a fixed answer.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = (host, token) => Dns.GetHostAddressesAsync(host, token);
}

/// <summary>
/// The one check of a URL an outgoing call will be made to: an absolute http(s) URL, no user info or fragment, within
/// its length, and every address its host resolves to (once, within a few seconds) accepted by the caller's address
/// rule, so a customer's or partner's URL cannot reach this machine, the cloud's metadata or an internal network.
/// </summary>
public static class OutboundUrlPolicy
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The URL parsed, or why it is refused.</summary>
    public static async Task<(Uri? Url, OutboundUrlRefusal? Refusal)> CheckAsync(string? text, OutboundUrlRules rules, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, new(OutboundUrlProblem.Missing));
        }

        if (text.Length > rules.MaxLength)
        {
            return (null, new(OutboundUrlProblem.TooLong));
        }

        // On Unix "/path" parses as an absolute file: URI; only a URL that names its scheme counts as absolute here.
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url)
            || !text.TrimStart().StartsWith(url.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new(OutboundUrlProblem.Invalid));
        }

        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
        {
            return (null, new(OutboundUrlProblem.Scheme, url.Scheme));
        }

        if (url.UserInfo.Length > 0)
        {
            return (null, new(OutboundUrlProblem.UserInfo));
        }

        if (url.Fragment.Length > 0)
        {
            return (null, new(OutboundUrlProblem.Fragment));
        }

        if (!rules.AllowQuery && url.Query.Length > 0)
        {
            return (null, new(OutboundUrlProblem.Query));
        }

        var host = url.IdnHost.Trim('[', ']');
        if (rules.IsAllowListed(host))
        {
            return (url, null);
        }

        if (url.Scheme == Uri.UriSchemeHttp && rules.RequireHttps)
        {
            return (null, new(OutboundUrlProblem.HttpsRequired, host));
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await rules.Resolve(host, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException
                                              && !cancellationToken.IsCancellationRequested)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                return (null, new(OutboundUrlProblem.Unresolvable, host));
            }
        }

        foreach (var address in addresses)
        {
            if (rules.AddressRefusal(address) is { } reason)
            {
                return (null, new(OutboundUrlProblem.AddressRefused, host, address, reason));
            }
        }

        return (url, null);
    }
}
