using System.Globalization;
using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// Turns analysed models into a priced quote. Each amount is rounded to cents line by line and the total is
/// the sum of the rounded lines, so what the customer reads always adds up.
/// </summary>
public sealed class Quoter
{
    /// <summary>Below this a mesh is empty or flat: there is nothing to print.</summary>
    public const double MinimumVolumeMm3 = 1e-3;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly PricingOptions _options;
    private readonly TimeProvider _clock;

    public Quoter(PricingOptions options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("Invalid pricing options: " + string.Join(" ", errors), nameof(options));
        _options = options;
        _clock = clock ?? TimeProvider.System;
    }

    public PricingOptions Options => _options;

    /// <summary>Null when the item can be printed; otherwise the reason it cannot.</summary>
    public QuoteRejection? Check(string name, MeshAnalysis mesh, string materialName)
    {
        var material = _options.FindMaterial(materialName);
        if (material is null)
            return new(name, PricingCodes.UnknownMaterial,
                $"The material '{materialName}' is not offered; choose one of {string.Join(", ", _options.Materials.Keys)}.",
                "material-unknown", [materialName, string.Join(", ", _options.Materials.Keys)]);
        var volume = PrintEstimator.PartVolumeMm3(mesh);
        if (mesh.Triangles == 0 || !double.IsFinite(volume) || volume < MinimumVolumeMm3)
            return new(name, PricingCodes.NoVolume,
                "The model encloses no volume (it is empty, flat or only a surface), so there is nothing to print.", "no-volume", []);
        var printer = _options.FindPrinter(material.Printer)!;
        if (!Fits(mesh.BoundingBoxMm.Size, printer.BuildVolumeMm))
        {
            var s = mesh.BoundingBoxMm.Size;
            var b = printer.BuildVolumeMm;
            return new(name, PricingCodes.TooBigForPrinter, string.Create(Inv,
                $"The model measures {s.X:0.#} × {s.Y:0.#} × {s.Z:0.#} mm and does not fit the {b.X:0} × {b.Y:0} × {b.Z:0} mm build volume of the {material.Technology} printer for {materialName}, in any orientation. Check the units or split the model."));
        }
        return null;
    }

    /// <summary>The geometric estimate for one part in the given material (the material must exist).</summary>
    public PrintEstimate Estimate(MeshAnalysis mesh, string materialName)
    {
        var material = _options.FindMaterial(materialName) ?? throw new ArgumentException($"Unknown material '{materialName}'.", nameof(materialName));
        return PrintEstimator.Estimate(mesh, material, _options.FindPrinter(material.Printer)!);
    }

    public QuoteOutcome Quote(QuoteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rejections = new List<QuoteRejection>();
        if (request.Items.Count == 0)
            rejections.Add(new("", PricingCodes.NoItems, "The order has no models to quote."));
        if (!_options.LeadTimeMultipliers.TryGetValue(request.LeadTime, out var leadFactor))
            rejections.Add(new("", PricingCodes.UnknownLeadTime,
                $"The lead time '{request.LeadTime}' is not offered; choose one of {string.Join(", ", _options.LeadTimeMultipliers.Keys)}.",
                "lead-time-unknown", [request.LeadTime, string.Join(", ", _options.LeadTimeMultipliers.Keys)]));
        foreach (var item in request.Items)
        {
            if (item.Quantity < 1)
                rejections.Add(new(item.Name, PricingCodes.BadQuantity, $"The quantity of {item.Name} must be at least 1, not {item.Quantity}.",
                    "quantity", [item.Quantity.ToString(Inv)]));
            else if (Check(item.Name, item.Analysis, item.Material) is { } rejection)
                rejections.Add(rejection);
            else if (CheckChoices(item) is { } choice)
                rejections.Add(choice);
        }
        if (rejections.Count > 0) return new(null, rejections);

        var items = request.Items.Select(i => PriceItem(i, request.LeadTime, leadFactor)).ToList();
        var lines = items.SelectMany(i => i.Lines).ToList();
        if (_options.SetupFeePerOrder > 0) lines.Add(new("Setup fee (once per order)", Money(_options.SetupFeePerOrder), "setup-fee", [], []));
        var now = _clock.GetUtcNow();
        var mode = items.All(i => i.Estimate.Mode == PrintEstimate.ExactMode) ? PrintEstimate.ExactMode : PrintEstimate.EstimateMode;
        var quote = new Quote(_options.Currency, lines.Sum(l => l.Amount), mode, now, now.AddDays(_options.QuoteValidityDays), lines, items);
        return new(quote, []);
    }

    /// <summary>Null when the item's colour and quality are offered (or not given); otherwise why not.</summary>
    public QuoteRejection? CheckChoices(QuoteItemRequest item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var material = _options.FindMaterial(item.Material);
        if (material is not null && item.Colour is { } colour && material.FindColour(colour) is null)
            return material.Colours.Count == 0
                ? new(item.Name, PricingCodes.UnknownColour, $"{item.Material} comes in one colour only; choose no colour.", "colour-single", [item.Material])
                : new(item.Name, PricingCodes.UnknownColour, $"{item.Material} does not come in '{colour}'; choose one of {string.Join(", ", material.Colours.Keys)}.",
                    "colour-unknown", [item.Material, colour, string.Join(", ", material.Colours.Keys)]);
        if (item.Quality is { } quality && _options.FindQuality(quality) is null)
            return new(item.Name, PricingCodes.UnknownQuality,
                $"The print quality '{quality}' is not offered; choose one of {string.Join(", ", _options.Qualities.Keys)}.",
                "quality-unknown", [quality, string.Join(", ", _options.Qualities.Keys)]);
        return null;
    }

    private QuotedItem PriceItem(QuoteItemRequest item, string leadTime, decimal leadFactor)
    {
        var material = _options.FindMaterial(item.Material)!;
        // Customers type "petg"; lines and the result use the price list's spelling.
        var materialName = _options.Materials.Keys.First(k => string.Equals(k, item.Material, StringComparison.OrdinalIgnoreCase));
        var printer = _options.FindPrinter(material.Printer)!;
        var quality = item.Quality is null ? null : _options.FindQuality(item.Quality);
        var estimate = item.Exact ?? PrintEstimator.Estimate(item.Analysis, material, printer, quality);
        var q = item.Quantity;
        var cur = _options.Currency;
        var name = item.Name;
        var lines = new List<PriceLine>();

        lines.Add(new(string.Create(Inv, $"{name}: {materialName} material, {estimate.MaterialGrams:0.0} g per part × {q} at {material.PricePerGram:0.00##} {cur}/g"),
            Money((decimal)estimate.MaterialGrams * material.PricePerGram * q), "material", [name, materialName, cur], [(decimal)estimate.MaterialGrams, q, material.PricePerGram]));
        var qualityName = item.Quality is null ? null : _options.Qualities.Keys.First(k => string.Equals(k, item.Quality, StringComparison.OrdinalIgnoreCase));
        var qualityNote = qualityName is null ? "" : $" ({qualityName.ToLowerInvariant()} quality)";
        lines.Add(new(string.Create(Inv, $"{name}: printer time{qualityNote}, {estimate.MachineHours:0.00} h per part × {q} at {printer.HourlyRate:0.00} {cur}/h"),
            Money((decimal)estimate.MachineHours * printer.HourlyRate * q), qualityName is null ? "printer-time" : "printer-time-quality",
            qualityName is null ? [name, cur] : [name, cur, qualityName], [(decimal)estimate.MachineHours, q, printer.HourlyRate]));
        if (estimate.SupportVolumeCm3 > 0 && _options.SupportRemovalPerCm3 > 0)
            lines.Add(new(string.Create(Inv, $"{name}: support removal, {estimate.SupportVolumeCm3:0.0} cm³ per part × {q} at {_options.SupportRemovalPerCm3:0.00} {cur}/cm³"),
                Money((decimal)estimate.SupportVolumeCm3 * _options.SupportRemovalPerCm3 * q), "support", [name, cur], [(decimal)estimate.SupportVolumeCm3, q, _options.SupportRemovalPerCm3]));

        // The minimum is topped up against the rounded lines so the production of q parts is exactly q × minimum.
        var production = lines.Sum(l => l.Amount);
        var minimum = Money(_options.MinimumPricePerPart * q);
        if (production < minimum)
        {
            lines.Add(new(string.Create(Inv, $"{name}: top-up to the minimum price of {_options.MinimumPricePerPart:0.00} {cur} per part × {q}"), minimum - production,
                "minimum", [name, cur], [_options.MinimumPricePerPart, q]));
            production = minimum;
        }

        if (item.Colour is not null && material.FindColour(item.Colour) is { } colour && material.Colours[colour] > 0)
        {
            var surcharge = Money(material.Colours[colour] * q);
            lines.Add(new(string.Create(Inv, $"{name}: {colour} colour, {material.Colours[colour]:0.00} {cur} per part × {q}"), surcharge,
                "colour", [name, colour, cur], [material.Colours[colour], q]));
            production += surcharge;
        }

        var tier = _options.QuantityDiscounts.Where(t => q >= t.MinQuantity).MaxBy(t => t.MinQuantity);
        if (tier is not null)
        {
            var discount = Money(production * tier.Discount);
            lines.Add(new(string.Create(Inv, $"{name}: quantity discount {tier.Discount * 100:0.#} % for {tier.MinQuantity} or more parts"), -discount,
                "discount", [name], [tier.Discount * 100, tier.MinQuantity]));
            production -= discount;
        }

        if (leadFactor != 1m)
            lines.Add(new(string.Create(Inv, $"{name}: {leadTime.ToLowerInvariant()} lead time surcharge (+{(leadFactor - 1) * 100:0.#} % on production)"),
                Money(production * (leadFactor - 1)), "lead-time", [name, leadTime], [(leadFactor - 1) * 100]));

        if (_options.HandlingFeePerModel > 0)
            lines.Add(new($"{name}: file check and handling (once per model)", Money(_options.HandlingFeePerModel), "handling", [name], []));

        var amount = lines.Sum(l => l.Amount);
        var warnings = item.Analysis.Warnings.ToList();
        if (!item.Analysis.Watertight && !warnings.Exists(w => w.Code == PricingCodes.NotWatertight))
            warnings.Add(new(PricingCodes.NotWatertight,
                "The model has holes or open edges; the estimate treats it as closed, so material and time may differ once repaired."));
        return new QuotedItem(name, materialName, q, estimate, Money(amount / q), amount, lines, warnings);
    }

    private static bool Fits(Vector3d size, BuildVolume volume)
    {
        // Any axis may be turned upright, so compare the sorted extents.
        Span<double> s = [size.X, size.Y, size.Z];
        Span<double> b = [volume.X, volume.Y, volume.Z];
        s.Sort();
        b.Sort();
        return s[0] <= b[0] && s[1] <= b[1] && s[2] <= b[2];
    }

    public static decimal Money(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
