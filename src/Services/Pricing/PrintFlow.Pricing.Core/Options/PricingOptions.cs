namespace PrintFlow.Pricing.Core;

/// <summary>
/// The price list and the process parameters behind every quote. Bound from the configuration section
/// <see cref="SectionName"/>; <see cref="Default"/> holds the built-in list so the CLI works without configuration.
/// Values are set-able (not init-only) because the configuration binder fills an existing instance.
/// </summary>
public sealed class PricingOptions
{
    public const string SectionName = "Pricing";

    /// <summary>ISO 4217 code of every amount in this list.</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Materials by name (case-insensitive), e.g. "PLA"; each names the printer that prints it.</summary>
    public Dictionary<string, MaterialOptions> Materials { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Printers (one per technology and process profile) by name, referenced by <see cref="MaterialOptions.Printer"/>.</summary>
    public Dictionary<string, PrinterOptions> Printers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Charged once per order: job preparation, plate set-up, paperwork.</summary>
    public decimal SetupFeePerOrder { get; set; }

    /// <summary>Charged once per model (order item), whatever its quantity: file checks and handling.</summary>
    public decimal HandlingFeePerModel { get; set; }

    /// <summary>Manual support removal, per cm³ of support material printed (estimated from the overhangs), per part.</summary>
    public decimal SupportRemovalPerCm3 { get; set; }

    /// <summary>A part never costs less than this to produce (before discounts and lead-time surcharge).</summary>
    public decimal MinimumPricePerPart { get; set; }

    /// <summary>Discounts by quantity of one item; the tier with the highest <see cref="QuantityDiscountTier.MinQuantity"/> reached applies.</summary>
    public List<QuantityDiscountTier> QuantityDiscounts { get; set; } = [];

    /// <summary>Multipliers on the production amount by lead time name (case-insensitive): "Standard" 1.0, "Express" 1.5.</summary>
    public Dictionary<string, decimal> LeadTimeMultipliers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Calendar days from the order to the promised ship-by date, by lead time name (case-insensitive). The defaults
    /// are the factory's turnarounds MES schedules by (Standard 10, Express 3).
    /// </summary>
    public Dictionary<string, int> LeadTimeDays { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Print qualities a buyer may choose, by name (case-insensitive); each sets the layer height.</summary>
    public Dictionary<string, QualityOptions> Qualities { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long a quote stays valid after it is made.</summary>
    public int QuoteValidityDays { get; set; } = 7;

    /// <summary>The price list used when no configuration is given: a Prusa MK3S-class FDM farm and an SLA printer.</summary>
    public static PricingOptions Default => CreateDefault();

    public MaterialOptions? FindMaterial(string name) => Materials.GetValueOrDefault(name);

    public PrinterOptions? FindPrinter(string name) => Printers.GetValueOrDefault(name);

    public QualityOptions? FindQuality(string name) => Qualities.GetValueOrDefault(name);

    /// <summary>Every problem in the list as a sentence; empty when the list is usable.</summary>
    public IReadOnlyList<string> Validate() => PricingOptionsValidator.Validate(this);

    private static PricingOptions CreateDefault() => new()
    {
        Currency = "EUR",
        SetupFeePerOrder = 5.00m,
        HandlingFeePerModel = 1.50m,
        SupportRemovalPerCm3 = 0.50m,
        MinimumPricePerPart = 2.00m,
        QuoteValidityDays = 7,
        Printers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["MK3S"] = new PrinterOptions
            {
                Technology = PrintTechnology.Fdm,
                BuildVolumeMm = new BuildVolume { X = 250, Y = 210, Z = 210 },
                HourlyRate = 2.50m,
                Fdm = new FdmProcessOptions(),
            },
            ["SL1S"] = new PrinterOptions
            {
                Technology = PrintTechnology.Sla,
                BuildVolumeMm = new BuildVolume { X = 127, Y = 80, Z = 150 },
                HourlyRate = 3.50m,
                Resin = new ResinProcessOptions(),
            },
        },
        Materials = new(StringComparer.OrdinalIgnoreCase)
        {
            ["PLA"] = new MaterialOptions
            {
                Technology = PrintTechnology.Fdm, Printer = "MK3S", DensityGPerCm3 = 1.24, PricePerGram = 0.05m,
                Colours = Colours(("Black", 0m), ("White", 0m), ("Grey", 0m), ("Red", 0.50m), ("Blue", 0.50m), ("Silk gold", 1.50m)),
            },
            ["PETG"] = new MaterialOptions
            {
                Technology = PrintTechnology.Fdm, Printer = "MK3S", DensityGPerCm3 = 1.27, PricePerGram = 0.06m,
                Colours = Colours(("Black", 0m), ("White", 0m), ("Transparent", 0.50m), ("Orange", 0.50m)),
            },
            ["ABS"] = new MaterialOptions
            {
                Technology = PrintTechnology.Fdm, Printer = "MK3S", DensityGPerCm3 = 1.04, PricePerGram = 0.06m,
                Colours = Colours(("Black", 0m), ("White", 0m)),
            },
            ["Resin"] = new MaterialOptions
            {
                Technology = PrintTechnology.Sla, Printer = "SL1S", DensityGPerCm3 = 1.10, PricePerGram = 0.15m,
                Colours = Colours(("Grey", 0m), ("Clear", 1.00m)),
            },
        },
        QuantityDiscounts =
        [
            new QuantityDiscountTier { MinQuantity = 10, Discount = 0.05m },
            new QuantityDiscountTier { MinQuantity = 50, Discount = 0.10m },
            new QuantityDiscountTier { MinQuantity = 200, Discount = 0.15m },
        ],
        LeadTimeMultipliers = new(StringComparer.OrdinalIgnoreCase) { ["Standard"] = 1.0m, ["Express"] = 1.5m },
        LeadTimeDays = new(StringComparer.OrdinalIgnoreCase) { ["Standard"] = 10, ["Express"] = 3 },
        Qualities = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Draft"] = new QualityOptions { FdmLayerHeightMm = 0.30, ResinLayerHeightMm = 0.10 },
            ["Standard"] = new QualityOptions { FdmLayerHeightMm = 0.20, ResinLayerHeightMm = 0.05 }, // the printers' own profiles
            ["Fine"] = new QualityOptions { FdmLayerHeightMm = 0.10, ResinLayerHeightMm = 0.025 },
        },
    };

    private static Dictionary<string, decimal> Colours(params (string Name, decimal Surcharge)[] colours) =>
        colours.ToDictionary(c => c.Name, c => c.Surcharge, StringComparer.OrdinalIgnoreCase);
}

public enum PrintTechnology { Fdm, Sla }

public sealed class MaterialOptions
{
    public PrintTechnology Technology { get; set; }
    /// <summary>Name of the entry in <see cref="PricingOptions.Printers"/> that prints this material.</summary>
    public string Printer { get; set; } = "";
    public double DensityGPerCm3 { get; set; }
    public decimal PricePerGram { get; set; }

    /// <summary>Colours offered in this material (case-insensitive), each with a surcharge per part (0 for none); the first is the default.</summary>
    public Dictionary<string, decimal> Colours { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The price list's spelling of <paramref name="colour"/>, or null when this material does not come in it.</summary>
    public string? FindColour(string colour) => Colours.Keys.FirstOrDefault(c => string.Equals(c, colour, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A print quality: the layer height per technology; null keeps the printer profile's own.</summary>
public sealed class QualityOptions
{
    public double? FdmLayerHeightMm { get; set; }
    public double? ResinLayerHeightMm { get; set; }
}

public sealed class BuildVolume
{
    public double X { get; set; }
    public double Y { get; set; }
    public double Z { get; set; }
}

public sealed class PrinterOptions
{
    public PrintTechnology Technology { get; set; }
    public BuildVolume BuildVolumeMm { get; set; } = new();
    /// <summary>Machine cost per print hour: depreciation, energy, maintenance, operator share.</summary>
    public decimal HourlyRate { get; set; }
    /// <summary>Process parameters when <see cref="Technology"/> is FDM.</summary>
    public FdmProcessOptions? Fdm { get; set; }
    /// <summary>Process parameters when <see cref="Technology"/> is SLA.</summary>
    public ResinProcessOptions? Resin { get; set; }
}

public sealed class QuantityDiscountTier
{
    public int MinQuantity { get; set; }
    /// <summary>Fraction taken off, 0.10 = 10 %.</summary>
    public decimal Discount { get; set; }
}
