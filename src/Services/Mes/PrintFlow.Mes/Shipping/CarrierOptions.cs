using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace PrintFlow.Mes.Shipping;

/// <summary>How a carrier's delivery callback proves it comes from the carrier.</summary>
public enum CarrierCallbackAuth
{
    /// <summary><c>X-Carrier-Signature: sha256=&lt;hex HMAC-SHA256(secret, body)&gt;</c>.</summary>
    Hmac,

    /// <summary><c>Authorization: Bearer &lt;secret&gt;</c>.</summary>
    Bearer,
}

/// <summary>One carrier the floor ships with (<c>Mes:Carriers:&lt;code&gt;</c>).</summary>
public sealed class CarrierOptions
{
    public string NameEn { get; set; } = "";
    public string NameRu { get; set; } = "";

    /// <summary>The public tracking page, with <c>{tracking}</c> where the tracking number goes; none when empty.</summary>
    public string? TrackingUrl { get; set; }

    /// <summary>A regular expression a tracking number of this carrier matches (upper case); any 4–40 letters, digits and dashes when empty.</summary>
    public string? TrackingPattern { get; set; }

    public CarrierCallbackAuth CallbackAuth { get; set; } = CarrierCallbackAuth.Hmac;

    /// <summary>The secret the carrier signs or authenticates its callbacks with; callbacks are refused while none is set.</summary>
    public string? CallbackSecret { get; set; }
}

/// <summary>Fills in the carriers PrintFlow knows and checks every carrier at start-up.</summary>
internal sealed partial class CarrierOptionsSetup : IPostConfigureOptions<MesOptions>, IValidateOptions<MesOptions>
{
    public const int MinSecretLength = 32;

    private static readonly Dictionary<string, CarrierOptions> Defaults = new(StringComparer.Ordinal)
    {
        ["cdek"] = new() { NameEn = "CDEK", NameRu = "СДЭК", TrackingUrl = "https://www.cdek.ru/ru/tracking?order_id={tracking}", TrackingPattern = @"^\d{8,12}$" },
        ["russian-post"] = new()
        {
            NameEn = "Russian Post", NameRu = "Почта России", TrackingUrl = "https://www.pochta.ru/tracking?barcode={tracking}",
            TrackingPattern = @"^([A-Z]{2}\d{9}[A-Z]{2}|\d{14})$",
        },
        ["dhl"] = new()
        {
            NameEn = "DHL Express", NameRu = "DHL Express",
            TrackingUrl = "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={tracking}",
            TrackingPattern = @"^\d{10}$",
        },
        ["courier"] = new() { NameEn = "Our courier", NameRu = "Наш курьер" },
    };

    public void PostConfigure(string? name, MesOptions options)
    {
        foreach (var (code, fallback) in Defaults)
        {
            if (!options.Carriers.TryGetValue(code, out var carrier))
            {
                options.Carriers[code] = new CarrierOptions
                {
                    NameEn = fallback.NameEn, NameRu = fallback.NameRu, TrackingUrl = fallback.TrackingUrl, TrackingPattern = fallback.TrackingPattern,
                };
                continue;
            }

            // Configuration that only sets a secret keeps the carrier's names, page and pattern.
            carrier.NameEn = carrier.NameEn.Length > 0 ? carrier.NameEn : fallback.NameEn;
            carrier.NameRu = carrier.NameRu.Length > 0 ? carrier.NameRu : fallback.NameRu;
            carrier.TrackingUrl ??= fallback.TrackingUrl;
            carrier.TrackingPattern ??= fallback.TrackingPattern;
        }
    }

    public ValidateOptionsResult Validate(string? name, MesOptions options)
    {
        var failures = new List<string>();
        foreach (var (code, carrier) in options.Carriers)
        {
            var key = $"{MesOptions.Section}:Carriers:{code}";
            if (!CodePattern().IsMatch(code))
            {
                failures.Add($"{key}: a carrier code is 1 to 32 lower-case letters, digits and dashes.");
            }

            if (string.IsNullOrWhiteSpace(carrier.NameEn) || string.IsNullOrWhiteSpace(carrier.NameRu))
            {
                failures.Add($"{key}: NameEn and NameRu are required.");
            }

            if (!string.IsNullOrEmpty(carrier.TrackingUrl)
                && (!carrier.TrackingUrl.Contains("{tracking}", StringComparison.Ordinal)
                    || !Uri.TryCreate(carrier.TrackingUrl.Replace("{tracking}", "X", StringComparison.Ordinal), UriKind.Absolute, out var url)
                    || url.Scheme is not ("https" or "http")))
            {
                failures.Add($"{key}:TrackingUrl must be an http(s) address containing {{tracking}}.");
            }

            if (!string.IsNullOrEmpty(carrier.TrackingPattern))
            {
                try
                {
                    _ = new Regex(carrier.TrackingPattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
                }
                catch (ArgumentException)
                {
                    failures.Add($"{key}:TrackingPattern is not a valid regular expression.");
                }
            }

            if (carrier.CallbackSecret is { Length: > 0 and < MinSecretLength })
            {
                failures.Add($"{key}:CallbackSecret must be at least {MinSecretLength} characters.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9-]{1,32}$")]
    private static partial Regex CodePattern();
}
