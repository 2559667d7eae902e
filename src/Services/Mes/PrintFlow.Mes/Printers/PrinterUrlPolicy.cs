using System.Net;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Whether a printer URL may be stored: <see cref="OutboundUrlPolicy"/>'s rules (as for webhook URLs) except that
/// printers live on the factory's private network, so private and carrier-grade NAT ranges are allowed; loopback only
/// when <see cref="FarmOptions.AllowLoopback"/> says so (Development, tests). A printer's base address takes no query.
/// </summary>
public sealed class PrinterUrlPolicy(IOptionsMonitor<FarmOptions> options)
{
    public const int MaxUrlLength = 500;

    /// <summary>The URL parsed, or a refusal (code, sentence).</summary>
    public async Task<(Uri? Url, string? Code, string? Refusal)> CheckAsync(string? text, CancellationToken cancellationToken)
    {
        var rules = new OutboundUrlRules { MaxLength = MaxUrlLength, AllowQuery = false, AddressRefusal = Refusal };
        var (url, refusal) = await OutboundUrlPolicy.CheckAsync(text, rules, cancellationToken);
        return refusal?.Problem switch
        {
            null => (url, null, null),
            OutboundUrlProblem.Missing => (null, "printer.url-missing", "Give the printer's OctoPrint address, such as http://192.168.1.20."),
            OutboundUrlProblem.TooLong => (null, "printer.url-too-long", $"The address may be at most {MaxUrlLength} characters."),
            OutboundUrlProblem.Scheme => (null, "printer.url-scheme", $"Only http and https addresses are accepted, not '{refusal.Subject}'."),
            OutboundUrlProblem.UserInfo or OutboundUrlProblem.Fragment or OutboundUrlProblem.Query => (null, "printer.url-invalid",
                "The address must not carry a user name, password, query or fragment; the API key authenticates."),
            OutboundUrlProblem.Unresolvable => (null, "printer.url-unresolvable", $"The host '{refusal.Subject}' could not be resolved."),
            OutboundUrlProblem.AddressRefused => (null, "printer.url-address-refused",
                $"The host '{refusal.Subject}' resolves to {refusal.Address}, a {refusal.AddressClass} address; printers must be on the factory network."),
            _ => (null, "printer.url-invalid", "The address is not an absolute URL such as http://192.168.1.20."),
        };
    }

    /// <summary>Null when a printer may be at <paramref name="address"/>, else the class of address that refuses it.</summary>
    public string? Refusal(IPAddress address) => AddressPolicy.Refusal(address) switch
    {
        null or "private" or "cgnat" => null,
        "loopback" when options.CurrentValue.AllowLoopback => null,
        { } reason => reason,
    };
}
