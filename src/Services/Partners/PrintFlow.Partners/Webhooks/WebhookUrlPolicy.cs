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
    public bool IsAllowListed(string host) =>
        options.CurrentValue.AllowedHosts.Any(h => string.Equals(h.Trim().Trim('[', ']'), host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The URL parsed, or the refusal; null refusal means accepted.</summary>
    public async Task<(Uri? Url, UrlRefusal? Refusal)> CheckAsync(string? text, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var rules = new OutboundUrlRules
        {
            MaxLength = settings.MaxUrlLength,
            RequireHttps = environment.IsProduction(),
            IsAllowListed = IsAllowListed,
            Resolve = resolver.ResolveAsync,
        };
        var (url, refusal) = await OutboundUrlPolicy.CheckAsync(text, rules, cancellationToken);
        return refusal is null ? (url, null) : (null, Word(refusal, settings));
    }

    private static UrlRefusal Word(OutboundUrlRefusal refusal, WebhookOptions settings) => refusal.Problem switch
    {
        OutboundUrlProblem.Missing => new("webhook.url-missing", "Give the URL PrintFlow should send events to."),
        OutboundUrlProblem.TooLong => new("webhook.url-too-long", $"The URL may be at most {settings.MaxUrlLength} characters."),
        OutboundUrlProblem.Scheme => new("webhook.url-scheme", $"Only https URLs are accepted, not '{refusal.Subject}'."),
        OutboundUrlProblem.UserInfo => new("webhook.url-userinfo", "The URL must not carry a user name or password; the signature authenticates PrintFlow."),
        OutboundUrlProblem.Fragment => new("webhook.url-invalid", "The URL must not have a fragment (#…)."),
        OutboundUrlProblem.HttpsRequired => new("webhook.url-https-required", "Webhook URLs must use https."),
        OutboundUrlProblem.Unresolvable => new("webhook.url-unresolvable",
            $"The host '{refusal.Subject}' could not be resolved; register a URL whose name resolves to a public address."),
        OutboundUrlProblem.AddressRefused => new("webhook.url-address-refused",
            $"The host '{refusal.Subject}' resolves to {refusal.Address}, a {Describe(refusal.AddressClass!)} address; webhooks go only to public internet addresses."),
        _ => new("webhook.url-invalid", "The URL is not an absolute URL such as https://hooks.example.com/printflow."),
    };

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
