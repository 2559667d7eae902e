using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Shipping;

/// <summary>A carrier as the floor shows it and checks its tracking numbers.</summary>
public sealed record Carrier(string Code, string NameEn, string NameRu, string? TrackingUrlTemplate, Regex? TrackingPattern, CarrierOptions Options)
{
    public string Name => NameEn == NameRu ? NameEn : $"{NameEn} / {NameRu}";

    public string? TrackingUrl(string trackingNumber) =>
        TrackingUrlTemplate?.Replace("{tracking}", Uri.EscapeDataString(trackingNumber), StringComparison.Ordinal);
}

/// <summary>The configured carriers (<see cref="MesOptions.Carriers"/>), and the rule that turns a carrier and a tracking number into a shipment.</summary>
public sealed partial class CarrierBook
{
    public const int MaxTrackingLength = 40;
    private readonly Dictionary<string, Carrier> _carriers;

    public CarrierBook(IOptions<MesOptions> options)
    {
        _carriers = options.Value.Carriers.ToDictionary(
            pair => pair.Key,
            pair => new Carrier(pair.Key, pair.Value.NameEn, pair.Value.NameRu, NullIfEmpty(pair.Value.TrackingUrl),
                string.IsNullOrEmpty(pair.Value.TrackingPattern) ? null
                    : new Regex(pair.Value.TrackingPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)),
                pair.Value),
            StringComparer.Ordinal);
    }

    public IReadOnlyList<Carrier> All => [.. _carriers.Values.OrderBy(c => c.Code, StringComparer.Ordinal)];

    public Carrier? Find(string? code) => code is not null && _carriers.TryGetValue(code, out var carrier) ? carrier : null;

    /// <summary>The shipment for <paramref name="carrierCode"/> and <paramref name="trackingNumber"/>, or a refusal with a code.</summary>
    /// <exception cref="JobRuleException">Unknown carrier, or a tracking number this carrier does not issue.</exception>
    public Shipment ShipmentFor(string? carrierCode, string? trackingNumber, DateTimeOffset now)
    {
        if (Find(carrierCode?.Trim()) is not { } carrier)
        {
            throw new JobRuleException("shipping.carrier-unknown",
                Texts.Get<MesStrings>("Ship.CarrierUnknown", string.Join(", ", All.Select(c => c.Code))));
        }

        var tracking = (trackingNumber ?? "").Trim().ToUpperInvariant();
        if (tracking.Length == 0)
        {
            throw new JobRuleException("shipping.tracking-required", Texts.Get<MesStrings>("Ship.TrackingRequired"));
        }

        var fits = tracking.Length <= MaxTrackingLength && !tracking.Any(char.IsControl)
            && (carrier.TrackingPattern ?? DefaultTracking()).IsMatch(tracking);
        if (!fits)
        {
            throw new JobRuleException("shipping.tracking-invalid",
                Texts.Get<MesStrings>("Ship.TrackingInvalid", Shorten(tracking), Pages.Display.Carrier(carrier)));
        }

        return new Shipment(carrier.Code, tracking, carrier.TrackingUrl(tracking), now);
    }

    private static string Shorten(string text) => text.Length <= MaxTrackingLength ? text : text[..MaxTrackingLength] + "…";

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    [GeneratedRegex("^[A-Z0-9-]{4,40}$")]
    private static partial Regex DefaultTracking();
}

/// <summary>What the "Ship" form sent.</summary>
public sealed record ShippingForm(string? Carrier, string? TrackingNumber);

/// <summary>The statuses a carrier callback may report; only <see cref="Delivered"/> moves a job.</summary>
public static class CarrierStatuses
{
    public const string Delivered = "delivered";

    public static readonly string[] All = ["accepted", "in-transit", "out-for-delivery", "delivery-failed", "returned", Delivered];
}
