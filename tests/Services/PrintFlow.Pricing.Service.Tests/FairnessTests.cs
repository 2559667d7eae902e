using PrintFlow.Contracts;
using PrintFlow.Pricing.Service.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests;

/// <summary>A heavy model never blocks a light one: small files overtake the queue of large ones.</summary>
[Trait("Category", "Slow")]
public sealed class FairnessTests : IDisposable
{
    private const int HeavyModels = 4;
    private readonly string _models = Directory.CreateTempSubdirectory("printflow-pricing-heavy-").FullName;
    private readonly PricingHost _pricing = new(new Dictionary<string, string?> { ["Pricing:MaxConcurrentAnalyses"] = "2" });

    [Fact]
    public async Task PriceRequested_ForACubeBehindMillionTriangleModels_IsQuotedBeforeTheHeavyOnes()
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

        // A large analysis holds the one slot large models may take (of 2) until released, so the heavy models queue
        // behind it however fast this machine analyses them: no moment to catch by polling.
        var release = new TaskCompletionSource();
        var running = _pricing.Scheduler.RunAsync(long.MaxValue, () => release.Task.Wait(Eventually.DefaultTimeout), CancellationToken.None);
        int waitingWhenCubeWasQuoted;
        List<Task> heavyDone;
        try
        {
            heavyDone = heavy.Select(Track).ToList();
            await Eventually.UntilAsync(() => Task.FromResult(_pricing.Scheduler.Queued), n => n == HeavyModels, "every heavy model waits for a slot");
            await Track(cube);
            waitingWhenCubeWasQuoted = _pricing.Scheduler.Queued;
        }
        finally
        {
            release.TrySetResult();
        }

        await running;
        await Task.WhenAll(heavyDone);

        // The cube took the slot kept for small models and was quoted while every heavy model still waited (in a
        // first-come queue it would have waited for all four).
        lock (finished) Assert.Equal(cube.OrderId, finished[0]);
        Assert.Equal(HeavyModels, waitingWhenCubeWasQuoted);
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
