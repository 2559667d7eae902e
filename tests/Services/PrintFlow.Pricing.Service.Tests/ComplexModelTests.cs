using PrintFlow.Contracts;
using PrintFlow.Geometry.Tests.Support;
using PrintFlow.Pricing.Service.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests;

/// <summary>
/// Models that would hold an analysis slot for ever: refused (the order rejected with model.too-complex) while other
/// orders keep getting prices, through the real host.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ComplexModelTests(EstimateHost fixture) : IClassFixture<EstimateHost>
{
    private PricingHost Pricing => fixture.Pricing;

    [Fact]
    public async Task PriceRequested_ForComponentsPlacingAnObjectAMillionTimes_FailsWithTooComplexAndOthersAreStillPriced()
    {
        // Two such uploads (distinct files, so neither waits on the other's analysis) used to hold both analysis slots
        // of a two-core machine for good; both are small files, so they also took the slot kept for small ones.
        var first = PricingHost.Request(await Pricing.ItemAsync(HostileModels.MillionCopiesThreeMf(), "million-copies.3mf"));
        var second = PricingHost.Request(await Pricing.ItemAsync(HostileModels.MillionCopiesThreeMf(outer: 999), "million-copies-2.3mf"));
        var honest = PricingHost.Request(await Pricing.ItemAsync(StlFiles.BinaryCube(22), "cube-22.stl"));

        await Task.WhenAll(new[] { first, second, honest }.Select(r => Task.Run(() => Pricing.DispatchAsync(r))));

        foreach (var request in new[] { first, second })
        {
            var failed = await Pricing.PublishedAsync<PricingFailed>(request.OrderId, TimeSpan.FromSeconds(30));
            Assert.Equal("model.too-complex", failed.Code);
            Assert.Contains("could not be priced: The model would have more than", failed.Reason, StringComparison.Ordinal);
            Assert.Contains("simplify it or split it", failed.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain(await Pricing.PublishedAsync(request.OrderId), e => e is PriceCalculated);
        }

        Assert.Equal(12, (await Pricing.PublishedAsync<PriceCalculated>(honest.OrderId, TimeSpan.FromSeconds(30))).Quote.Items[0].Triangles);
    }
}

public sealed class TightDeadlineHost : IDisposable
{
    public PricingHost Pricing { get; } = new(new Dictionary<string, string?> { ["Pricing:AnalysisTimeout"] = "00:00:00.001" });
    public void Dispose() => Pricing.Dispose();
}

/// <summary>Pricing:AnalysisTimeout: an analysis past it is stopped and the order rejected, never left waiting.</summary>
public sealed class AnalysisTimeoutTests(TightDeadlineHost fixture) : IClassFixture<TightDeadlineHost>
{
    private PricingHost Pricing => fixture.Pricing;

    [Fact]
    public async Task PriceRequested_WhenTheAnalysisOutlastsAnalysisTimeout_FailsWithTooComplex()
    {
        // 360,000 triangles: tens of milliseconds of work against a 1 ms limit.
        var request = PricingHost.Request(await Pricing.ItemAsync(HostileModels.ManyCubesThreeMf(), "many-cubes.3mf"));

        await Pricing.DispatchAsync(request);

        var failed = await Pricing.PublishedAsync<PricingFailed>(request.OrderId, TimeSpan.FromSeconds(30));
        Assert.Equal("model.too-complex", failed.Code);
        Assert.Equal("many-cubes.3mf could not be priced: The model is too complex to analyse within 1 ms, the most this service allows; simplify it or split it into several files.",
            failed.Reason);
        Assert.Equal(0, Pricing.Scheduler.RunningLarge);
    }
}
