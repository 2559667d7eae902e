using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Whether a printer URL may be stored. The same rules as webhook URLs (<see cref="AddressPolicy"/>: absolute http(s),
/// no user info or fragment, every address the host resolves to checked) except that printers live on the factory's
/// private network, so private and carrier-grade NAT ranges are allowed; loopback only when
/// <see cref="FarmOptions.AllowLoopback"/> says so (Development, tests). Cloud metadata, link-local, multicast and
/// reserved addresses are always refused.
/// </summary>
public sealed class PrinterUrlPolicy(IOptionsMonitor<FarmOptions> options)
{
    public const int MaxUrlLength = 500;
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The URL parsed, or a refusal (code, sentence).</summary>
    public async Task<(Uri? Url, string? Code, string? Refusal)> CheckAsync(string? text, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "printer.url-missing", "Give the printer's OctoPrint address, such as http://192.168.1.20.");
        }

        if (text.Length > MaxUrlLength)
        {
            return (null, "printer.url-too-long", $"The address may be at most {MaxUrlLength} characters.");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url)
            || !text.TrimStart().StartsWith(url.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "printer.url-invalid", "The address is not an absolute URL such as http://192.168.1.20.");
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return (null, "printer.url-scheme", $"Only http and https addresses are accepted, not '{url.Scheme}'.");
        }

        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0 || url.Query.Length > 0)
        {
            return (null, "printer.url-invalid", "The address must not carry a user name, password, query or fragment; the API key authenticates.");
        }

        var host = url.IdnHost.Trim('[', ']');
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
                addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ArgumentException
                                              && !cancellationToken.IsCancellationRequested)
            {
                addresses = [];
            }

            if (addresses.Length == 0)
            {
                return (null, "printer.url-unresolvable", $"The host '{host}' could not be resolved.");
            }
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                return (null, "printer.url-address-refused", $"The host '{host}' resolves to {address}, a {reason} address; printers must be on the factory network.");
            }
        }

        return (url, null, null);
    }

    /// <summary>Null when a printer may be at <paramref name="address"/>, else the class of address that refuses it.</summary>
    public string? Refusal(IPAddress address) => AddressPolicy.Refusal(address) switch
    {
        null or "private" or "cgnat" => null,
        "loopback" when options.CurrentValue.AllowLoopback => null,
        { } reason => reason,
    };
}
