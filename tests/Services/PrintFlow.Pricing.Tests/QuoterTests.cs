using Microsoft.Extensions.Time.Testing;
using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Tests;

public class QuoterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A price list with round numbers so each rule can be checked by hand.</summary>
    private static PricingOptions Options(Action<PricingOptions>? change = null)
    {
        var o = PricingOptions.Default;
        o.SetupFeePerOrder = 5m;
        o.HandlingFeePerModel = 1.5m;
        o.SupportRemovalPerCm3 = 0.30m;
        o.MinimumPricePerPart = 2m;
        change?.Invoke(o);
        return o;
    }

    private static Quote QuoteOf(PricingOptions options, params QuoteItemRequest[] items) => QuoteOf(options, "Standard", items);

    private static Quote QuoteOf(PricingOptions options, string leadTime, params QuoteItemRequest[] items)
    {
        var outcome = new Quoter(options, new FakeTimeProvider(Now)).Quote(new QuoteRequest(items, leadTime));
        Assert.True(outcome.IsQuoted, string.Join("; ", outcome.Rejections.Select(r => r.Reason)));
        return outcome.Quote!;
    }

    private static QuoteItemRequest Item(string name, double cube, int quantity = 1, string material = "PLA") =>
        new(name, TestMeshes.Cube(cube), material, quantity);

    private static decimal LineAmount(Quote quote, string contains) =>
        Assert.Single(quote.Lines, l => l.Description.Contains(contains, StringComparison.Ordinal)).Amount;

    [Fact]
    public void Quote_WhenOneItem_LinesSumExactlyToTotal()
    {
        var quote = QuoteOf(Options(), Item("cube.stl", 20));

        Assert.Equal(quote.Total, quote.Lines.Sum(l => l.Amount));
        Assert.Equal("EUR", quote.Currency);
        Assert.Equal(PrintEstimate.EstimateMode, quote.Mode);
        Assert.All(quote.Lines, l => Assert.Equal(decimal.Round(l.Amount, 2), l.Amount));
    }

    [Fact]
    public void Quote_WhenMaterialAndTime_ChargesGramsTimesPriceAndHoursTimesRate()
    {
        var options = Options();
        var quote = QuoteOf(options, Item("cube.stl", 30, quantity: 3));
        var item = Assert.Single(quote.Items);

        var expectedMaterial = Quoter.Money((decimal)item.Estimate.MaterialGrams * 0.05m * 3);
        var expectedMachine = Quoter.Money((decimal)item.Estimate.MachineHours * 2.50m * 3);
        Assert.Equal(expectedMaterial, LineAmount(quote, "PLA material"));
        Assert.Equal(expectedMachine, LineAmount(quote, "printer time"));
    }

    [Fact]
    public void Quote_WhenSetupAndHandlingFees_SetupOncePerOrderHandlingOncePerModel()
    {
        var quote = QuoteOf(Options(), Item("a.stl", 30, quantity: 4), Item("b.stl", 25, quantity: 2));

        Assert.Equal(5m, LineAmount(quote, "Setup fee"));
        Assert.Equal(2, quote.Lines.Count(l => l.Description.Contains("handling", StringComparison.Ordinal)));
        Assert.All(quote.Lines.Where(l => l.Description.Contains("handling", StringComparison.Ordinal)), l => Assert.Equal(1.5m, l.Amount));
        Assert.Equal(quote.Total, quote.Items.Sum(i => i.Amount) + 5m);
    }

    [Fact]
    public void Quote_WhenPartIsCheaperThanMinimum_TopsUpToMinimumPerPart()
    {
        var options = Options(o => o.MinimumPricePerPart = 9m);
        var quote = QuoteOf(options, Item("tiny.stl", 5, quantity: 3));
        var item = Assert.Single(quote.Items);

        var production = item.Lines.Where(l => !l.Description.Contains("handling", StringComparison.Ordinal)).Sum(l => l.Amount);
        Assert.Equal(27m, production);
        Assert.Contains(item.Lines, l => l.Description.Contains("minimum price of 9.00 EUR", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_WhenPartCostsMoreThanMinimum_AddsNoTopUp()
    {
        var quote = QuoteOf(Options(o => o.MinimumPricePerPart = 0.5m), Item("big.stl", 60));

        Assert.DoesNotContain(quote.Lines, l => l.Description.Contains("minimum", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(9, null)]
    [InlineData(10, "5 %")]
    [InlineData(49, "5 %")]
    [InlineData(50, "10 %")]
    [InlineData(500, "15 %")]
    public void Quote_WhenQuantityReachesTier_AppliesThatTiersDiscount(int quantity, string? expected)
    {
        var quote = QuoteOf(Options(), Item("part.stl", 20, quantity));
        var discount = quote.Lines.SingleOrDefault(l => l.Description.Contains("quantity discount", StringComparison.Ordinal));

        if (expected is null) { Assert.Null(discount); return; }
        Assert.NotNull(discount);
        Assert.Contains(expected, discount.Description);
        var item = Assert.Single(quote.Items);
        var production = item.Lines.TakeWhile(l => l != discount).Sum(l => l.Amount);
        var rate = decimal.Parse(expected.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 100;
        Assert.Equal(-Quoter.Money(production * rate), discount.Amount);
    }

    [Fact]
    public void Quote_WhenExpress_AddsHalfOfProductionAfterDiscount()
    {
        var options = Options();
        var standard = QuoteOf(options, "Standard", Item("part.stl", 40, 12));
        var express = QuoteOf(options, "Express", Item("part.stl", 40, 12));

        var production = standard.Lines.Where(l => !l.Description.Contains("handling", StringComparison.Ordinal) && !l.Description.Contains("Setup", StringComparison.Ordinal)).Sum(l => l.Amount);
        Assert.Equal(Quoter.Money(production * 0.5m), LineAmount(express, "express lead time"));
        Assert.Equal(standard.Total + Quoter.Money(production * 0.5m), express.Total);
        Assert.DoesNotContain(standard.Lines, l => l.Description.Contains("lead time", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_WhenModelNeedsSupport_ChargesRemovalPerCubicCentimetre()
    {
        var mesh = TestMeshes.Box(30, 30, 30, supportMm3: 4000, overhangMm2: 500);
        var quote = QuoteOf(Options(), new QuoteItemRequest("overhang.stl", mesh, "PLA", 2));

        // Printed support: 15 % of the 4 cm³ column plus 0.4 mm of interface under 5 cm² = 0.8 cm³ per part.
        Assert.Equal(0.8, Assert.Single(quote.Items).Estimate.SupportVolumeCm3, 9);
        Assert.Equal(Quoter.Money(0.8m * 0.30m * 2), LineAmount(quote, "support removal"));
    }

    [Fact]
    public void Quote_WhenNoSupport_HasNoSupportLine()
    {
        var quote = QuoteOf(Options(), Item("cube.stl", 20));

        Assert.DoesNotContain(quote.Lines, l => l.Description.Contains("support", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_WhenManyOddAmounts_RoundedLinesStillSumToTotal()
    {
        var items = Enumerable.Range(1, 25)
            .Select(i => new QuoteItemRequest($"p{i}.stl", TestMeshes.Box(7.3 * i % 50 + 3, 11.7, 3.1 + i), i % 2 == 0 ? "PETG" : "ABS", i * 7 % 60 + 1))
            .ToArray();
        var quote = QuoteOf(Options(o => o.SupportRemovalPerCm3 = 0.333m), "Express", items);

        Assert.Equal(quote.Total, quote.Lines.Sum(l => l.Amount));
        Assert.Equal(quote.Total - 5m, quote.Items.Sum(i => i.Amount));
        Assert.All(quote.Items, i => Assert.Equal(i.Amount, i.Lines.Sum(l => l.Amount)));
        Assert.All(quote.Lines, l => Assert.Equal(decimal.Round(l.Amount, 2), l.Amount));
    }

    [Fact]
    public void Quote_WhenCreated_IsValidForConfiguredDays()
    {
        var quote = QuoteOf(Options(o => o.QuoteValidityDays = 7), Item("cube.stl", 20));

        Assert.Equal(Now, quote.CreatedAt);
        Assert.Equal(Now.AddDays(7), quote.ValidUntil);
    }

    [Fact]
    public void Quote_WhenModelLargerThanBuildVolume_RejectsAsTooBig()
    {
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([new("huge.stl", TestMeshes.Box(300, 50, 50), "PLA", 1)]));

        Assert.False(outcome.IsQuoted);
        var rejection = Assert.Single(outcome.Rejections);
        Assert.Equal(PricingCodes.TooBigForPrinter, rejection.Code);
        Assert.Contains("300 × 50 × 50 mm", rejection.Reason);
    }

    [Fact]
    public void Quote_WhenModelFitsOnlyStandingUp_IsQuoted()
    {
        // 240 × 30 × 200 fits a 250 × 210 × 210 volume once its 200 mm side is laid along Y.
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([new("tall.stl", TestMeshes.Box(30, 200, 240), "PLA", 1)]));

        Assert.True(outcome.IsQuoted);
    }

    [Fact]
    public void Quote_WhenResinPartExceedsSmallerResinVolume_RejectsAsTooBig()
    {
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([new("plate.stl", TestMeshes.Box(160, 100, 10), "Resin", 1)]));

        Assert.Equal(PricingCodes.TooBigForPrinter, Assert.Single(outcome.Rejections).Code);
    }

    [Fact]
    public void Quote_WhenModelHasNoVolume_RejectsAsNoVolume()
    {
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([new("flat.stl", TestMeshes.Flat(), "PLA", 1)]));

        var rejection = Assert.Single(outcome.Rejections);
        Assert.Equal(PricingCodes.NoVolume, rejection.Code);
        Assert.Null(outcome.Quote);
    }

    [Fact]
    public void Quote_WhenMaterialUnknown_RejectsNamingTheOfferedMaterials()
    {
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([Item("cube.stl", 20, material: "Unobtainium")]));

        var rejection = Assert.Single(outcome.Rejections);
        Assert.Equal(PricingCodes.UnknownMaterial, rejection.Code);
        Assert.Contains("PETG", rejection.Reason);
    }

    [Fact]
    public void Quote_WhenQuantityZero_RejectsAsBadQuantity()
    {
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([Item("cube.stl", 20, quantity: 0)]));

        Assert.Equal(PricingCodes.BadQuantity, Assert.Single(outcome.Rejections).Code);
    }

    [Fact]
    public void Quote_WhenLeadTimeUnknown_RejectsAsUnknownLeadTime()
    {
        var outcome = new Quoter(Options()).Quote(new QuoteRequest([Item("cube.stl", 20)], "Yesterday"));

        Assert.Equal(PricingCodes.UnknownLeadTime, Assert.Single(outcome.Rejections).Code);
    }

    [Fact]
    public void Quote_WhenModelNotWatertight_QuotesWithWarning()
    {
        var quote = QuoteOf(Options(), new QuoteItemRequest("open.stl", TestMeshes.Box(20, 20, 20, watertight: false), "PLA", 1));

        Assert.Contains(Assert.Single(quote.Items).Warnings, w => w.Code == PricingCodes.NotWatertight);
    }

    [Fact]
    public void Quote_WhenItemHasExactEstimate_UsesItAndSaysExact()
    {
        var exact = new PrintEstimate(MaterialGrams: 10, PrintHours: 1, MachineHours: 1, SupportVolumeCm3: 0, Layers: 100, PrintEstimate.ExactMode);
        var quote = QuoteOf(Options(), new QuoteItemRequest("cube.stl", TestMeshes.Cube(20), "PLA", 1, exact));

        Assert.Equal(PrintEstimate.ExactMode, quote.Mode);
        Assert.Equal(0.50m, LineAmount(quote, "PLA material"));
        Assert.Equal(2.50m, LineAmount(quote, "printer time"));
    }

    [Fact]
    public void Constructor_WhenOptionsInvalid_ThrowsListingTheProblems()
    {
        var options = Options(o => o.Materials["PLA"].Printer = "Nowhere");

        var error = Assert.Throws<ArgumentException>(() => new Quoter(options));
        Assert.Contains("Printer 'Nowhere'", error.Message);
    }
}
