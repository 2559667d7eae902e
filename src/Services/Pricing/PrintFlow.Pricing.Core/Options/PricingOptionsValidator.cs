namespace PrintFlow.Pricing.Core;

/// <summary>Checks a price list before it is used, so a typo in configuration fails at start-up, not at quote time.</summary>
internal static class PricingOptionsValidator
{
    public static IReadOnlyList<string> Validate(PricingOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Currency) || o.Currency.Length != 3)
            errors.Add($"Pricing:Currency must be a three-letter ISO 4217 code, not '{o.Currency}'.");
        if (o.Materials.Count == 0) errors.Add("Pricing:Materials must list at least one material.");
        if (o.Printers.Count == 0) errors.Add("Pricing:Printers must list at least one printer.");
        NotNegative(errors, "SetupFeePerOrder", o.SetupFeePerOrder);
        NotNegative(errors, "HandlingFeePerModel", o.HandlingFeePerModel);
        NotNegative(errors, "SupportRemovalPerCm3", o.SupportRemovalPerCm3);
        NotNegative(errors, "MinimumPricePerPart", o.MinimumPricePerPart);
        if (o.QuoteValidityDays < 1) errors.Add("Pricing:QuoteValidityDays must be at least 1.");

        foreach (var (name, p) in o.Printers)
        {
            var at = $"Pricing:Printers:{name}";
            if (p.BuildVolumeMm.X <= 0 || p.BuildVolumeMm.Y <= 0 || p.BuildVolumeMm.Z <= 0)
                errors.Add($"{at}:BuildVolumeMm must be positive on X, Y and Z.");
            NotNegative(errors, $"Printers:{name}:HourlyRate", p.HourlyRate);
            if (p.Technology == PrintTechnology.Fdm) ValidateFdm(errors, at, p.Fdm);
            else ValidateResin(errors, at, p.Resin);
        }

        foreach (var (name, m) in o.Materials)
        {
            var at = $"Pricing:Materials:{name}";
            if (m.DensityGPerCm3 is <= 0 or > 25) errors.Add($"{at}:DensityGPerCm3 must be between 0 and 25 g/cm³.");
            if (m.PricePerGram <= 0) errors.Add($"{at}:PricePerGram must be positive.");
            foreach (var (colour, surcharge) in m.Colours)
                if (surcharge < 0 || string.IsNullOrWhiteSpace(colour) || colour.Length > 40)
                    errors.Add($"{at}:Colours:{colour} needs a name of 1 to 40 characters and a surcharge that is not negative.");
            var printer = o.FindPrinter(m.Printer);
            if (printer is null) errors.Add($"{at}:Printer '{m.Printer}' is not one of Pricing:Printers.");
            else if (printer.Technology != m.Technology)
                errors.Add($"{at} is a {m.Technology} material but printer '{m.Printer}' is {printer.Technology}.");
        }

        var lastMin = 0;
        foreach (var tier in o.QuantityDiscounts.OrderBy(t => t.MinQuantity))
        {
            if (tier.MinQuantity < 2) errors.Add("Pricing:QuantityDiscounts: MinQuantity must be at least 2.");
            if (tier.MinQuantity == lastMin) errors.Add($"Pricing:QuantityDiscounts: MinQuantity {tier.MinQuantity} appears twice.");
            if (tier.Discount is <= 0 or >= 1) errors.Add($"Pricing:QuantityDiscounts: the discount for {tier.MinQuantity}+ must be between 0 and 1.");
            lastMin = tier.MinQuantity;
        }

        if (!o.LeadTimeMultipliers.ContainsKey("Standard")) errors.Add("Pricing:LeadTimeMultipliers must define 'Standard'.");
        foreach (var (name, factor) in o.LeadTimeMultipliers)
            if (factor < 1) errors.Add($"Pricing:LeadTimeMultipliers:{name} must be at least 1 (it is a surcharge, not a discount).");
        foreach (var (name, days) in o.LeadTimeDays)
            if (days is < 0 or > 365) errors.Add($"Pricing:LeadTimeDays:{name} must be between 0 and 365 days.");
        foreach (var (name, q) in o.Qualities)
            if (q.FdmLayerHeightMm is <= 0 or > 1 || q.ResinLayerHeightMm is <= 0 or > 0.5)
                errors.Add($"Pricing:Qualities:{name} layer heights must be between 0 and 1 mm (FDM) and 0 and 0.5 mm (resin).");
        return errors;
    }

    private static void ValidateFdm(List<string> errors, string at, FdmProcessOptions? f)
    {
        if (f is null) { errors.Add($"{at}:Fdm is required for an FDM printer."); return; }
        if (f.LayerHeightMm is <= 0 or > 1) errors.Add($"{at}:Fdm:LayerHeightMm must be between 0 and 1 mm.");
        if (f.LineWidthMm <= 0 || f.SupportLineWidthMm <= 0) errors.Add($"{at}:Fdm line widths must be positive.");
        // Outside this range a nozzle cannot lay a reliable line, so the profile is almost certainly mistyped.
        if (f.NozzleDiameterMm <= 0 || f.LineWidthMm < 0.6 * f.NozzleDiameterMm || f.LineWidthMm > 2 * f.NozzleDiameterMm)
            errors.Add($"{at}:Fdm:LineWidthMm must be between 0.6 and 2 times NozzleDiameterMm.");
        if (f.Perimeters < 1 || f.TopLayers < 0 || f.BottomLayers < 0) errors.Add($"{at}:Fdm needs at least one perimeter and non-negative top/bottom layers.");
        if (f.InfillFraction is < 0 or > 1 || f.NarrowInteriorDensity is < 0 or > 1 || f.SupportDensity is < 0 or > 1)
            errors.Add($"{at}:Fdm densities (infill, narrow interior, support) must be between 0 and 1.");
        if (f.ExternalPerimeterSpeedMmPerS <= 0 || f.PerimeterSpeedMmPerS <= 0 || f.SkinSpeedMmPerS <= 0 || f.InfillSpeedMmPerS <= 0
            || f.SupportSpeedMmPerS <= 0 || f.FirstLayerSpeedMmPerS <= 0 || f.NarrowInteriorSpeedMmPerS <= 0 || f.MinPrintSpeedMmPerS <= 0)
            errors.Add($"{at}:Fdm speeds must be positive.");
        if (f.NarrowInteriorFullWallMm < 0 || f.NarrowInteriorFromWallMm <= f.NarrowInteriorFullWallMm)
            errors.Add($"{at}:Fdm:NarrowInteriorFromWallMm must be greater than NarrowInteriorFullWallMm (and both non-negative).");
        if (f.InfillAnchorShare is not (>= 0 and <= 2)) errors.Add($"{at}:Fdm:InfillAnchorShare must be between 0 and 2.");
        if (f.SlopedSkinMinWidthMm is not (>= 0 and <= 10)) errors.Add($"{at}:Fdm:SlopedSkinMinWidthMm must be between 0 and 10.");
        if (!(f.InfillAccelerationMmPerS2 > 0)) errors.Add($"{at}:Fdm:InfillAccelerationMmPerS2 must be positive.");
        if (!(f.SolidInfillBelowAreaMm2 >= 0)) errors.Add($"{at}:Fdm:SolidInfillBelowAreaMm2 must not be negative.");
        if (f.PerLayerOverheadSeconds < 0 || f.MinLayerTimeSeconds < 0 || f.StartSequenceSeconds < 0 || f.HeatUpMinutes < 0 || f.PurgeMm3 < 0
            || f.SkirtLoops < 0 || f.SkirtDistanceMm < 0)
            errors.Add($"{at}:Fdm overheads must not be negative.");
    }

    private static void ValidateResin(List<string> errors, string at, ResinProcessOptions? r)
    {
        if (r is null) { errors.Add($"{at}:Resin is required for an SLA printer."); return; }
        if (r.LayerHeightMm is <= 0 or > 0.5) errors.Add($"{at}:Resin:LayerHeightMm must be between 0 and 0.5 mm.");
        if (r.LayerTimeSeconds <= 0) errors.Add($"{at}:Resin:LayerTimeSeconds must be positive.");
        if (r.SupportDensity is < 0 or > 1) errors.Add($"{at}:Resin:SupportDensity must be between 0 and 1.");
        if (r.StartSequenceSeconds < 0 || r.WasteMm3 < 0 || r.HeatUpMinutes < 0) errors.Add($"{at}:Resin overheads must not be negative.");
    }

    private static void NotNegative(List<string> errors, string name, decimal value)
    {
        if (value < 0) errors.Add($"Pricing:{name} must not be negative.");
    }
}
