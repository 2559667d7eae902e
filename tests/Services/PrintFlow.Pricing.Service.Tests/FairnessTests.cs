using PrintFlow.Contracts;
using PrintFlow.Pricing.Service.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests;

/// <summary>A heavy model never blocks a light one: small files overtake the queue of large ones.</summary>
public sealed class FairnessTests : IDisposable
{
    private const int HeavyModels = 4;
    private readonly string _models = Directory.CreateTempSubdirectory("printflow-pricing-heavy-").FullName;
    private readonly PricingHost _pricing = new(new Dictionary<string, string?> { ["Pricing:MaxConcurrentAnalyses"] = "2" });

    [Fact]
    public async Task PriceRequested_ForACubeWhileMillionTriangleModelsAreAnalysed_IsQuotedBeforeTheHeavyOnes()
    {
        var heavy = new List<PriceRequested>();
        for (var i = 0; i < HeavyModels; i++)
        {
            // Four different 1,000,000-triangle files (~50 MB each), so none shares another's analysis.
            var path = Meshes.Sphere(_models, offsetX: i);
            heavy.Add(PricingHost.Request(await _pricing.ItemFromFileAsync(path)));
            File.Delete(path);
        }

        var cube = PricingHost.Request(await _pricing.ItemAsync(StlFiles.BinaryCube(22), "cube-22.stl"));
        var finished = new List<Guid>();
        Task Track(PriceRequested request) => Task.Run(async () =>
        {
            await _pricing.DispatchAsync(request);
            lock (finished) finished.Add(request.OrderId);
        });

        var heavyDone = heavy.Select(Track).ToList();
        // Heavy models have reached the analysis scheduler: one is being analysed, at least two wait behind it.
        await Eventually.UntilAsync(() => Task.FromResult((_pricing.Scheduler.RunningLarge, _pricing.Scheduler.Queued)),
            n => n.RunningLarge == 1 && n.Queued >= 2, "one heavy model is analysed and two or more wait for a slot");

        await Track(cube);
        int heavyBeforeCube;
        lock (finished) heavyBeforeCube = finished.IndexOf(cube.OrderId);
        var stillAnalysing = _pricing.Scheduler.RunningLarge + _pricing.Scheduler.Queued;
        await Task.WhenAll(heavyDone);

        // At most the heavy model already running when the cube arrived finished first: the cube queued behind none
        // of the waiting ones (in a first-come queue it would wait until two of them had finished).
        Assert.True(heavyBeforeCube <= 1, $"{heavyBeforeCube} heavy models were quoted before the cube");
        Assert.True(stillAnalysing >= 2, $"only {stillAnalysing} heavy models were still in analysis when the cube was quoted");
        Assert.Equal(8000.0 * 22 * 22 * 22 / 8000, (await _pricing.PublishedAsync<PriceCalculated>(cube.OrderId)).Quote.Items[0].VolumeMm3, 6);
        foreach (var request in heavy)
        {
            Assert.Equal(1_000_000, (await _pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote.Items[0].Triangles);
        }

        Assert.Equal(HeavyModels + 1, _pricing.Analyzer.AnalysesRun);
    }

    public void Dispose()
    {
        _pricing.Dispose();
        Directory.Delete(_models, recursive: true);
    }
}
