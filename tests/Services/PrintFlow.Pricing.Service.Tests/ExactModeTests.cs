using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Data;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Exact;
using PrintFlow.Pricing.Service.Tests.Support;
using PrintFlow.Pricing.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Service.Tests;

/// <summary>Exact mode with the real PrusaSlicer (scripts/install-test-deps.sh installs it).</summary>
[Trait("Category", "Tools")]
public sealed class ExactModeTests
{
    private static readonly TimeSpan SliceTimeout = TimeSpan.FromMinutes(2);

    private static Dictionary<string, string?> Exact(string? timeout = null, int workers = 1) => new()
    {
        ["Pricing:Exact:Enabled"] = "true",
        ["Pricing:Exact:MaxConcurrent"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pricing:Exact:PollInterval"] = "00:00:00.200",
        ["Pricing:ExactSlicer:Timeout"] = timeout ?? "00:02:00",
    };

    [Fact]
    public async Task OrderSubmitted_WithExactModeOn_IsQuotedWithTheEstimateThenWithTheSlicersFigures()
    {
        using var pricing = new PricingHost(Exact());
        var item = await pricing.ItemAsync(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Models", "cube-20mm.stl")), "cube-20mm.stl");
        var submitted = new OrderSubmitted(Guid.CreateVersion7(), PricingHost.Customer, [item], LeadTime.Standard, null, null, DateTimeOffset.UtcNow);

        await pricing.DispatchAsync("ordering", submitted);

        var estimate = (await pricing.PublishedAsync<PriceCalculated>(submitted.OrderId)).Quote;
        Assert.Equal("estimate", estimate.Mode);
        var refined = await pricing.PublishedAsync<QuoteRefined>(submitted.OrderId, SliceTimeout);
        Assert.Equal(estimate.QuoteId, refined.ReplacesQuoteId);
        Assert.Equal("exact", refined.Quote.Mode);
        Assert.NotEqual(estimate.QuoteId, refined.Quote.QuoteId);
        Assert.Equal(refined.Quote.Amount, refined.Quote.Lines.Sum(l => l.Amount));
        // PrusaSlicer 2.5 with the built-in MK3S profile: 4.16 g and 29 min 24 s (docs/pricing-calibration.md).
        var part = Assert.Single(refined.Quote.Items);
        Assert.InRange(part.MaterialGrams, 4.16 * 0.97, 4.16 * 1.03);
        Assert.InRange(part.PrintTimeHours, 0.49 * 0.97, 0.49 * 1.03);
        Assert.NotEqual(estimate.Items[0].PrintTimeHours, part.PrintTimeHours);
        var job = await pricing.ExactJobAsync(submitted.OrderId);
        Assert.Equal((ExactJobState.Done, (Guid?)refined.Quote.QuoteId), (job!.State, job.RefinedQuoteId));

        // Ordering replaced the estimate: still Quoted, one version later, with the exact quote.
        var order = await Eventually.UntilAsync(async () =>
        {
            await using var scope = pricing.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Orders.AsNoTracking().SingleAsync(o => o.Id == submitted.OrderId);
        }, o => o.QuoteId == refined.Quote.QuoteId, "Ordering holds the exact quote");
        Assert.Equal(OrderStatus.Quoted, order.Status);
        Assert.Equal("exact", order.Quote!.Mode);
        Assert.Equal(4, order.Version);
        await using var scope = pricing.Host.Services.CreateAsyncScope();
        var moves = await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Transitions.AsNoTracking()
            .Where(t => t.OrderId == submitted.OrderId).Select(t => t.To).ToListAsync();
        Assert.Equal([OrderStatus.Submitted, OrderStatus.PriceCalculating, OrderStatus.Quoted], moves.Order().ToList());
    }

    [Fact]
    public async Task PriceRequested_WhenTheSlicerTimesOut_KeepsTheEstimateAndRecordsTheFailure()
    {
        using var pricing = new PricingHost(Exact(timeout: "00:00:00.050"));
        var request = PricingHost.Request(await pricing.ItemAsync(StlFiles.BinaryCube(23), "cube-23.stl"));

        await pricing.DispatchAsync(request);

        var estimate = (await pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote;
        Assert.Equal("estimate", estimate.Mode);
        var job = await Eventually.UntilAsync(() => pricing.ExactJobAsync(request.OrderId), j => j?.State == ExactJobState.Failed,
            "the exact job failed", SliceTimeout);
        Assert.Equal("slicer.timeout", job!.FailureCode);
        Assert.Contains("did not finish within", job.FailureReason, StringComparison.Ordinal);
        Assert.Null(job.RefinedQuoteId);
        Assert.True(job.CompletedAt - job.CreatedAt < TimeSpan.FromSeconds(10), $"the failed slice took {job.CompletedAt - job.CreatedAt}");
        Assert.DoesNotContain(await pricing.PublishedAsync(request.OrderId), e => e is QuoteRefined);
    }

    [Fact]
    public async Task PriceRequested_WhenTheSliceOutlastsTheRefiningDeadline_StopsItAndTheEstimateStands()
    {
        var slow = Path.Combine(Directory.CreateTempSubdirectory("printflow-slow-slicer-").FullName, "prusa-slicer");
        await File.WriteAllTextAsync(slow, "#!/bin/sh\nexec sleep 60\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(slow, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var pricing = new PricingHost(new Dictionary<string, string?>(Exact())
        {
            ["Pricing:ExactSlicer:ExecutablePath"] = slow,
            ["Pricing:Exact:RefiningDeadline"] = "00:00:02",
        });
        var request = PricingHost.Request(await pricing.ItemAsync(StlFiles.BinaryCube(21), "cube-21.stl"));

        await pricing.DispatchAsync(request);

        var estimate = (await pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote;
        Assert.InRange(estimate.RefiningUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        var job = await Eventually.UntilAsync(() => pricing.ExactJobAsync(request.OrderId), j => j?.State == ExactJobState.Failed,
            "the exact job failed", SliceTimeout);
        Assert.Equal(ExactRefinementWorker.DeadlinePassed, job!.FailureCode);
        Assert.True(job.CompletedAt - job.CreatedAt < TimeSpan.FromSeconds(20), $"the slice was stopped after {job.CompletedAt - job.CreatedAt}");
        Assert.DoesNotContain(await pricing.PublishedAsync(request.OrderId), e => e is QuoteRefined);
    }

    [Theory]
    [MemberData(nameof(SlicerAttackModels.SlicerConfigVariants), MemberType = typeof(SlicerAttackModels))]
    public async Task PriceRequested_For3mfCarryingSlicerConfigWithPostProcess_RefinesWithoutRunningIt(string variant)
    {
        var marker = Path.Combine(Path.GetTempPath(), $"printflow-pwned-{Guid.NewGuid():N}");
        using var pricing = new PricingHost(Exact());
        var request = PricingHost.Request(await pricing.ItemAsync(SlicerAttackModels.ThreeMfWithSlicerConfig(variant, marker), "cube.3mf"));

        await pricing.DispatchAsync(request);

        var refined = await pricing.PublishedAsync<QuoteRefined>(request.OrderId, SliceTimeout);
        Assert.Equal("exact", refined.Quote.Mode);
        Assert.InRange(Assert.Single(refined.Quote.Items).MaterialGrams, 4.16 * 0.97, 4.16 * 1.03); // the 20 mm cube
        Assert.False(File.Exists(marker), "the 3MF's post_process ran on the pricing worker");
    }

    [Fact]
    public async Task PriceRequested_ForResinOnly_RecordsNoExactJob()
    {
        using var pricing = new PricingHost(Exact(workers: 0));
        var request = PricingHost.Request(await pricing.ItemAsync(StlFiles.BinaryCube(24), "cube-24.stl", "Resin"));

        await pricing.DispatchAsync(request);

        Assert.Equal("estimate", (await pricing.PublishedAsync<PriceCalculated>(request.OrderId)).Quote.Mode);
        Assert.Null(await pricing.ExactJobAsync(request.OrderId));
    }

    [Fact]
    public async Task PriceRequested_AgainForTheSameOrder_RecordsOneExactJobForTheFirstEstimate()
    {
        using var pricing = new PricingHost(Exact(workers: 0));
        var first = PricingHost.Request(await pricing.ItemAsync(StlFiles.BinaryCube(25), "cube-25.stl"));
        var redriven = first with { Attempt = 2, RequestedAt = first.RequestedAt.AddMinutes(2) };

        await pricing.DispatchAsync(first);
        await pricing.DispatchAsync(redriven);

        var estimates = await Eventually.UntilAsync(() => pricing.PublishedAsync(first.OrderId), e => e.OfType<PriceCalculated>().Count() == 2, "both requests were quoted");
        var job = await pricing.ExactJobAsync(first.OrderId);
        Assert.Equal(estimates.OfType<PriceCalculated>().First().Quote.QuoteId, job!.EstimateQuoteId);
    }

    [Fact]
    public async Task ExactJob_PendingWhenTheProcessStops_IsSlicedByTheNextProcessOnTheSameData()
    {
        var job = await SliceAfterRestartAsync(workerDied: false);
        Assert.Equal(1, job.Attempts);
    }

    [Fact]
    public async Task ExactJob_ClaimedByAWorkerThatDied_IsTakenOverWhenItsLeaseRunsOut()
    {
        var job = await SliceAfterRestartAsync(workerDied: true);
        Assert.Equal(2, job.Attempts);
    }

    /// <summary>
    /// A first process quotes and records the job but runs no slicer (MaxConcurrent 0), then stops; optionally the
    /// job is left as a dead worker leaves it (claimed, lease run out). A second process on the same data slices it.
    /// </summary>
    private static async Task<ExactJob> SliceAfterRestartAsync(bool workerDied)
    {
        var data = Directory.CreateTempSubdirectory("printflow-pricing-restart-").FullName;
        try
        {
            PriceRequested request;
            QuoteSummary estimate;
            using (var first = new PricingHost(new Dictionary<string, string?>(Exact(workers: 0)) { ["PrintFlow:DataDirectory"] = data }))
            {
                request = PricingHost.Request(await first.ItemAsync(StlFiles.BinaryCube(20), "cube-20.stl"));
                await first.DispatchAsync(request);
                estimate = (await first.PublishedAsync<PriceCalculated>(request.OrderId)).Quote;
                var pending = await first.ExactJobAsync(request.OrderId);
                Assert.Equal((ExactJobState.Pending, estimate.QuoteId), (pending!.State, pending.EstimateQuoteId));
                if (workerDied)
                {
                    await using var scope = first.Host.Services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<PricingDbContext>().ExactJobs
                        .Where(j => j.OrderId == request.OrderId)
                        .ExecuteUpdateAsync(s => s
                            .SetProperty(j => j.State, ExactJobState.Running)
                            .SetProperty(j => j.ClaimedBy, Guid.NewGuid())
                            .SetProperty(j => j.LeaseUntil, DateTimeOffset.UtcNow.AddSeconds(-1))
                            .SetProperty(j => j.Attempts, 1));
                }
            }

            using var second = new PricingHost(new Dictionary<string, string?>(Exact()) { ["PrintFlow:DataDirectory"] = data });
            _ = second.Host.Services; // start it: the worker finds the job in the database

            var refined = await second.PublishedAsync<QuoteRefined>(request.OrderId, SliceTimeout);
            Assert.Equal(estimate.QuoteId, refined.ReplacesQuoteId);
            Assert.Equal("exact", refined.Quote.Mode);
            var job = await second.ExactJobAsync(request.OrderId);
            Assert.Equal((ExactJobState.Done, (Guid?)refined.Quote.QuoteId), (job!.State, job.RefinedQuoteId));
            return job;
        }
        finally
        {
            try { Directory.Delete(data, recursive: true); } catch (IOException) { /* SQLite closing its files */ }
        }
    }
}
