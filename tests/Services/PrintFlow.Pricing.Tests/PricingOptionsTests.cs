using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Tests;

public class PricingOptionsTests
{
    [Fact]
    public void Validate_WhenDefault_HasNoErrors()
    {
        Assert.Empty(PricingOptions.Default.Validate());
    }

    [Fact]
    public void Default_WhenRead_OffersFdmMaterialsAndResin()
    {
        var o = PricingOptions.Default;

        Assert.Equal("EUR", o.Currency);
        foreach (var fdm in new[] { "PLA", "PETG", "ABS" }) Assert.Equal(PrintTechnology.Fdm, o.FindMaterial(fdm)!.Technology);
        Assert.Equal(PrintTechnology.Sla, o.FindMaterial("resin")!.Technology);
        Assert.Equal(1.0m, o.LeadTimeMultipliers["standard"]);
        Assert.Equal(1.5m, o.LeadTimeMultipliers["Express"]);
        Assert.Equal(0.20, o.FindPrinter("MK3S")!.Fdm!.InfillFraction);
    }

    [Fact]
    public void Default_WhenChangedByOneCaller_IsNotChangedForTheNext()
    {
        PricingOptions.Default.Materials["PLA"].PricePerGram = 99m;

        Assert.NotEqual(99m, PricingOptions.Default.Materials["PLA"].PricePerGram);
    }

    [Fact]
    public void Validate_WhenValuesAreWrong_ReturnsOneSentencePerProblem()
    {
        var o = PricingOptions.Default;
        o.Currency = "euro";
        o.SetupFeePerOrder = -1;
        o.Materials["ABS"].DensityGPerCm3 = 0;
        o.Materials["Resin"].Printer = "MK3S";
        o.Printers["MK3S"].Fdm!.InfillFraction = 1.5;
        o.Printers["MK3S"].Fdm!.LineWidthMm = 4.5;
        o.Printers["MK3S"].Fdm!.InfillAnchorShare = -0.5;
        o.Printers["MK3S"].Fdm!.SlopedSkinMinWidthMm = -1;
        o.LeadTimeMultipliers["Express"] = 0.5m;
        o.QuantityDiscounts.Add(new QuantityDiscountTier { MinQuantity = 10, Discount = 0.2m });

        var errors = o.Validate();

        Assert.Contains(errors, e => e.Contains("Currency"));
        Assert.Contains(errors, e => e.Contains("SetupFeePerOrder"));
        Assert.Contains(errors, e => e.Contains("ABS:DensityGPerCm3"));
        Assert.Contains(errors, e => e.Contains("Resin is a Sla material but printer 'MK3S' is Fdm"));
        Assert.Contains(errors, e => e.Contains("densities"));
        Assert.Contains(errors, e => e.Contains("LineWidthMm must be between 0.6 and 2 times NozzleDiameterMm"));
        Assert.Contains(errors, e => e.Contains("InfillAnchorShare must be between 0 and 2"));
        Assert.Contains(errors, e => e.Contains("SlopedSkinMinWidthMm must be between 0 and 10"));
        Assert.Contains(errors, e => e.Contains("Express must be at least 1"));
        Assert.Contains(errors, e => e.Contains("MinQuantity 10 appears twice"));
    }
}
