using System.Net;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults.Localization;
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
            OutboundUrlProblem.Missing => (null, "printer.url-missing", Texts.Get<MesStrings>("Printer.UrlMissing")),
            OutboundUrlProblem.TooLong => (null, "printer.url-too-long", Texts.Get<MesStrings>("Printer.UrlTooLong", MaxUrlLength)),
            OutboundUrlProblem.Scheme => (null, "printer.url-scheme", Texts.Get<MesStrings>("Printer.UrlScheme", refusal.Subject)),
            OutboundUrlProblem.UserInfo or OutboundUrlProblem.Fragment or OutboundUrlProblem.Query => (null, "printer.url-invalid",
                Texts.Get<MesStrings>("Printer.UrlExtras")),
            OutboundUrlProblem.Unresolvable => (null, "printer.url-unresolvable", Texts.Get<MesStrings>("Printer.UrlUnresolvable", refusal.Subject)),
            OutboundUrlProblem.AddressRefused => (null, "printer.url-address-refused",
                Texts.Get<MesStrings>("Printer.UrlRefused", refusal.Subject, refusal.Address, refusal.AddressClass)),
            _ => (null, "printer.url-invalid", Texts.Get<MesStrings>("Printer.UrlInvalid")),
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
