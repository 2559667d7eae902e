using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Tests;

/// <summary>The buyer's choices the price list offers: colours with surcharges and print qualities (layer heights).</summary>
public sealed class QuoterChoicesTests
{
    private static readonly Quoter Quoter = new(PricingOptions.Default);

    private static QuotedItem Priced(string? colour = null, string? quality = null, int quantity = 1)
    {
        var outcome = Quoter.Quote(new QuoteRequest([new QuoteItemRequest("part.stl", TestMeshes.Cube(40), "PLA", quantity, Colour: colour, Quality: quality)]));
        Assert.True(outcome.IsQuoted, string.Join("; ", outcome.Rejections.Select(r => r.Reason)));
        return outcome.Quote!.Items.Single();
    }

    [Fact]
    public void Quote_WhenColourHasASurcharge_AddsItPerPartOnItsOwnLine()
    {
        var black = Priced("Black", quantity: 3);
        var red = Priced("red", quantity: 3);

        Assert.Equal(1.50m, red.Amount - black.Amount);
        Assert.Contains(red.Lines, l => l.Description == "part.stl: Red colour, 0.50 EUR per part × 3" && l.Amount == 1.50m);
        Assert.DoesNotContain(black.Lines, l => l.Description.Contains("colour", StringComparison.Ordinal));
    }

    [Fact]
    public void Quote_WhenQualityIsFinerThanTheProfile_TakesLongerAndCostsMore()
    {
        var draft = Priced(quality: "Draft");
        var standard = Priced(quality: "Standard");
        var fine = Priced(quality: "Fine");

        Assert.True(draft.Estimate.Layers < standard.Estimate.Layers && standard.Estimate.Layers < fine.Estimate.Layers);
        Assert.True(draft.Estimate.PrintHours < standard.Estimate.PrintHours && standard.Estimate.PrintHours < fine.Estimate.PrintHours);
        Assert.True(draft.Amount < standard.Amount && standard.Amount < fine.Amount);
        Assert.Equal(Priced().Amount, standard.Amount); // Standard is the printer's own profile
    }

    [Theory]
    [InlineData("Gold", null, PricingCodes.UnknownColour)]
    [InlineData(null, "Ultra", PricingCodes.UnknownQuality)]
    public void Quote_WhenAChoiceIsNotOffered_RefusesWithItsCode(string? colour, string? quality, string code)
    {
        var outcome = Quoter.Quote(new QuoteRequest([new QuoteItemRequest("part.stl", TestMeshes.Cube(20), "PLA", 1, Colour: colour, Quality: quality)]));

        Assert.Equal(code, Assert.Single(outcome.Rejections).Code);
    }

    [Theory]
    [InlineData("Gold", null, "colour-unknown", "PLA", "Gold")]
    [InlineData(null, "Ultra", "quality-unknown", "Ultra", "Draft")]
    public void Quote_WhenAChoiceIsNotOffered_NamesItsSentenceAndValuesForTheReadersLanguage(string? colour, string? quality, string sentence, string first, string named)
    {
        var outcome = Quoter.Quote(new QuoteRequest([new QuoteItemRequest("part.stl", TestMeshes.Cube(20), "PLA", 1, Colour: colour, Quality: quality)]));

        var rejection = Assert.Single(outcome.Rejections);
        Assert.Equal((sentence, first), (rejection.Sentence, rejection.Arguments![0]));
        Assert.Contains(named, string.Join(" ", rejection.Arguments), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WhenAColourSurchargeIsNegative_NamesIt()
    {
        var options = PricingOptions.Default;
        options.Materials["PLA"].Colours["Red"] = -1m;

        Assert.Contains(options.Validate(), e => e.Contains("Colours:Red", StringComparison.Ordinal));
    }
}
