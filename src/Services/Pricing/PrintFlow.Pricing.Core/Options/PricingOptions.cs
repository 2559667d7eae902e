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

    /// <summary>How long a quote stays valid after it is made.</summary>
    public int QuoteValidityDays { get; set; } = 7;

    /// <summary>The price list used when no configuration is given: a Prusa MK3S-class FDM farm and an SLA printer.</summary>
    public static PricingOptions Default => CreateDefault();

    public MaterialOptions? FindMaterial(string name) => Materials.GetValueOrDefault(name);

    public PrinterOptions? FindPrinter(string name) => Printers.GetValueOrDefault(name);

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
            ["PLA"] = new MaterialOptions { Technology = PrintTechnology.Fdm, Printer = "MK3S", DensityGPerCm3 = 1.24, PricePerGram = 0.05m },
            ["PETG"] = new MaterialOptions { Technology = PrintTechnology.Fdm, Printer = "MK3S", DensityGPerCm3 = 1.27, PricePerGram = 0.06m },
            ["ABS"] = new MaterialOptions { Technology = PrintTechnology.Fdm, Printer = "MK3S", DensityGPerCm3 = 1.04, PricePerGram = 0.06m },
            ["Resin"] = new MaterialOptions { Technology = PrintTechnology.Sla, Printer = "SL1S", DensityGPerCm3 = 1.10, PricePerGram = 0.15m },
        },
        QuantityDiscounts =
        [
            new QuantityDiscountTier { MinQuantity = 10, Discount = 0.05m },
            new QuantityDiscountTier { MinQuantity = 50, Discount = 0.10m },
            new QuantityDiscountTier { MinQuantity = 200, Discount = 0.15m },
        ],
        LeadTimeMultipliers = new(StringComparer.OrdinalIgnoreCase) { ["Standard"] = 1.0m, ["Express"] = 1.5m },
    };
}

public enum PrintTechnology { Fdm, Sla }

public sealed class MaterialOptions
{
    public PrintTechnology Technology { get; set; }
    /// <summary>Name of the entry in <see cref="PricingOptions.Printers"/> that prints this material.</summary>
    public string Printer { get; set; } = "";
    public double DensityGPerCm3 { get; set; }
    public decimal PricePerGram { get; set; }
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
