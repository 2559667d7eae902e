using Microsoft.AspNetCore.DataProtection;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Printers' OctoPrint API keys at rest: encrypted with the deployment's data-protection keys, so a copy of MES's
/// database alone does not let anyone drive the printers. Only the last characters are ever shown back.
/// </summary>
public sealed class PrinterKeys(IDataProtectionProvider provider)
{
    public const int MaxKeyLength = 200;
    private readonly IDataProtector _protector = provider.CreateProtector("PrintFlow.Mes.PrinterApiKey.v1");

    public string Protect(string apiKey) => _protector.Protect(apiKey);

    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);

    /// <summary>What the card shows: "…" and the key's last four characters.</summary>
    public static string HintOf(string apiKey) => apiKey.Length <= 4 ? "…" : "…" + apiKey[^4..];

    public PrinterEndpoint EndpointOf(Printer printer)
    {
        ArgumentNullException.ThrowIfNull(printer);
        return new PrinterEndpoint(new Uri(printer.BaseUrl), Unprotect(printer.ApiKeyProtected));
    }
}
