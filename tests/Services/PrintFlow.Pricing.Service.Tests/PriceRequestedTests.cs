using System.Globalization;
using System.Text;
using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.Pricing.Service.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests;

public sealed class EstimateHost : IDisposable
{
    public PricingHost Pricing { get; } = new();
    public string Models { get; } = Directory.CreateTempSubdirectory("printflow-pricing-models-").FullName;

    public void Dispose()
    {
        Pricing.Dispose();
        Directory.Delete(Models, recursive: true);
    }
}

/// <summary>The instant quote: Pricing answers each PriceRequested from the cached analysis and the price list.</summary>
public sealed class PriceRequestedTests(EstimateHost fixture) : IClassFixture<EstimateHost>
{
    private PricingHost Pricing => fixture.Pricing;

    [Fact]
    public async Task PriceRequested_ForACube_PublishesAnEstimateWithTheExactVolumeAndLinesThatAddUp()
    {
        var item = await Pricing.ItemAsync(StlFiles.BinaryCube(20), "cube-20.stl", "PLA", 2);
        var request = PricingHost.Request(item);

        await Pricing.DispatchAsync(request);

        var quote = (await Pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote;
        Assert.Equal("estimate", quote.Mode);
        Assert.Equal("EUR", quote.Currency);
        var quoted = Assert.Single(quote.Items);
        Assert.Equal(item.ItemId, quoted.ItemId);
        Assert.Equal(12, quoted.Triangles);
        Assert.Equal(8000.0, quoted.VolumeMm3, 9);
        Assert.True(quoted.MaterialGrams > 0 && quoted.PrintTimeHours > 0);
        Assert.True(quote.Amount > 0);
        Assert.Equal(quote.Amount, quote.Lines.Sum(l => l.Amount));
        Assert.Contains(quote.Lines, l => l.Description.Contains("cube-20.stl: PLA material", StringComparison.Ordinal));
        Assert.True(quote.ValidUntil > DateTimeOffset.UtcNow.AddDays(6));
    }

    [Fact]
    public async Task PriceRequested_ForTheSameModelWithOtherOptions_AnalysesItOnce()
    {
        var cube = StlFiles.BinaryCube(21);
        var pla = PricingHost.Request(await Pricing.ItemAsync(cube, "cube-21.stl", "PLA", 1));
        var before = Pricing.Analyzer.AnalysesRun;
        await Pricing.DispatchAsync(pla);
        var first = (await Pricing.PublishedAsync<PriceCalculated>(pla.OrderId)).Quote;
        Assert.Equal(before + 1, Pricing.Analyzer.AnalysesRun);

        var petg = PricingHost.Request(await Pricing.ItemAsync(cube, "cube-21.stl", "PETG", 10));
        await Pricing.DispatchAsync(petg);
        var second = (await Pricing.PublishedAsync<PriceCalculated>(petg.OrderId)).Quote;

        Assert.Equal(before + 1, Pricing.Analyzer.AnalysesRun);
        Assert.Equal(first.Items[0].VolumeMm3, second.Items[0].VolumeMm3);
        Assert.NotEqual(first.Amount, second.Amount);
        Assert.Contains(second.Lines, l => l.Description.Contains("PETG material", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l.Description.Contains("quantity discount", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PriceRequested_ConcurrentlyForOneModel_AnalysesItOnce()
    {
        // ~100,000 triangles: long enough to analyse that the requests overlap.
        var path = Meshes.Sphere(fixture.Models, slices: 250, stacks: 201, radius: 30);
        var requests = new List<PriceRequested>();
        for (var i = 0; i < 4; i++)
        {
            requests.Add(PricingHost.Request(await Pricing.ItemFromFileAsync(path, i % 2 == 0 ? "PLA" : "ABS", i + 1)));
        }

        var before = Pricing.Analyzer.AnalysesRun;
        await Task.WhenAll(requests.Select(r => Task.Run(() => Pricing.DispatchAsync(r))));

        foreach (var request in requests)
        {
            var quote = (await Pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote;
            Assert.Equal(100_000, quote.Items[0].Triangles);
        }

        Assert.Equal(before + 1, Pricing.Analyzer.AnalysesRun);
    }

    public static TheoryData<string, string> BrokenModels() => new()
    {
        { "truncated.stl", Convert.ToBase64String(StlFiles.TruncatedBinary()) },
        { "notes.stl", Convert.ToBase64String(Encoding.UTF8.GetBytes("these are my notes, not a model\n")) },
        { "empty.obj", Convert.ToBase64String(Encoding.UTF8.GetBytes("# nothing here\n")) },
    };

    [Theory]
    [MemberData(nameof(BrokenModels))]
    public async Task PriceRequested_ForABrokenModel_FailsWithACodeAndASentence(string fileName, string base64)
    {
        var request = PricingHost.Request(await Pricing.ItemAsync(Convert.FromBase64String(base64), fileName));

        await Pricing.DispatchAsync(request);

        var failed = await Pricing.PublishedAsync<PricingFailed>(request.OrderId);
        Assert.Matches("^[a-z0-9]+(\\.[a-z0-9-]+)+$", failed.Code);
        Assert.StartsWith($"{fileName} could not be read: ", failed.Reason, StringComparison.Ordinal);
        Assert.EndsWith(".", failed.Reason.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("\n", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", failed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await Pricing.PublishedAsync(request.OrderId), e => e is PriceCalculated);
    }

    [Fact]
    public async Task PriceRequested_ForAModelMissingFromTheStore_FailsWithModelMissing()
    {
        var item = new OrderItem(Guid.NewGuid(), new string('e', 64), "gone.stl", 684, "PLA", 1);
        var request = PricingHost.Request(item);

        await Pricing.DispatchAsync(request);

        var failed = await Pricing.PublishedAsync<PricingFailed>(request.OrderId);
        Assert.Equal("model.missing", failed.Code);
        Assert.Contains("upload it again", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PriceRequested_ForAModelTooBigForThePrinter_FailsWithTooBigForPrinter()
    {
        var request = PricingHost.Request(await Pricing.ItemAsync(StlFiles.BinaryCube(300), "cube-300.stl"));

        await Pricing.DispatchAsync(request);

        var failed = await Pricing.PublishedAsync<PricingFailed>(request.OrderId);
        Assert.Equal("model.too-big-for-printer", failed.Code);
        Assert.Contains("300 × 300 × 300 mm", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("does not fit", failed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "cube-20.stl: PLA does not come in 'Gold'; choose one of")]
    [InlineData("ru", "cube-20.stl: PLA не бывает цвета «Gold»; выберите один из:")]
    public async Task PriceRequested_WhenTheColourIsNotOffered_FailsWithPartsTheChannelsWordInTheReadersLanguage(string language, string start)
    {
        var item = await Pricing.ItemAsync(StlFiles.BinaryCube(20), "cube-20.stl", "PLA", 1) with { Colour = "Gold" };
        var request = PricingHost.Request(item);

        await Pricing.DispatchAsync(request);

        var failed = await Pricing.PublishedAsync<PricingFailed>(request.OrderId);
        Assert.Equal("colour.unknown", failed.Code);
        Assert.StartsWith("cube-20.stl: PLA does not come in 'Gold'", failed.Reason, StringComparison.Ordinal);
        var part = Assert.Single(failed.Parts!);
        Assert.Equal(("cube-20.stl", "colour.unknown", "colour-unknown"), (part.ItemName, part.Code, part.Sentence));
        Assert.StartsWith(start, RejectionText.Of(failed.Reason, failed.Parts, CultureInfo.GetCultureInfo(language)), StringComparison.Ordinal);
    }
}
