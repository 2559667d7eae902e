using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Localization;
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
            return (null, "printer.url-missing", Texts.Get<MesStrings>("Printer.UrlMissing"));
        }

        if (text.Length > MaxUrlLength)
        {
            return (null, "printer.url-too-long", Texts.Get<MesStrings>("Printer.UrlTooLong", MaxUrlLength));
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url)
            || !text.TrimStart().StartsWith(url.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "printer.url-invalid", Texts.Get<MesStrings>("Printer.UrlInvalid"));
        }

        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            return (null, "printer.url-scheme", Texts.Get<MesStrings>("Printer.UrlScheme", url.Scheme));
        }

        if (url.UserInfo.Length > 0 || url.Fragment.Length > 0 || url.Query.Length > 0)
        {
            return (null, "printer.url-invalid", Texts.Get<MesStrings>("Printer.UrlExtras"));
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
                return (null, "printer.url-unresolvable", Texts.Get<MesStrings>("Printer.UrlUnresolvable", host));
            }
        }

        foreach (var address in addresses)
        {
            if (Refusal(address) is { } reason)
            {
                return (null, "printer.url-address-refused", Texts.Get<MesStrings>("Printer.UrlRefused", host, address, reason));
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
