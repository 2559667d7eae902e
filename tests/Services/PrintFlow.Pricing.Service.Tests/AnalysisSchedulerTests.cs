using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Options;

namespace PrintFlow.Pricing.Service.Tests;

/// <summary>The scheduler's rules with work the test holds and releases: no timing involved.</summary>
public sealed class AnalysisSchedulerTests
{
    private const long Small = 1_000;
    private const long Large = 100_000_000;

    private static AnalysisScheduler Scheduler(int slots) =>
        new(new PricingServiceOptions { MaxConcurrentAnalyses = slots, SmallModelBytes = 8L * 1024 * 1024 });

    private static (Task<int> Done, TaskCompletionSource Started, ManualResetEventSlim Release) Hold(AnalysisScheduler scheduler, long size, int result)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new ManualResetEventSlim();
        var done = scheduler.RunAsync(size, () => { started.SetResult(); release.Wait(); return result; }, CancellationToken.None);
        return (done, started, release);
    }

    [Fact]
    public async Task RunAsync_WhenLargeModelsFillTheirSlots_RunsASmallOneAtOnceAndKeepsTheOtherLargeOnesWaiting()
    {
        var scheduler = Scheduler(2);
        var first = Hold(scheduler, Large, 1);
        await first.Started.Task;
        var second = Hold(scheduler, Large, 2);

        var small = await scheduler.RunAsync(Small, () => 3, CancellationToken.None);

        Assert.Equal(3, small);
        Assert.Equal((1, 1), (scheduler.RunningLarge, scheduler.Queued));
        Assert.False(second.Started.Task.IsCompleted);
        first.Release.Set();
        await second.Started.Task;
        second.Release.Set();
        Assert.Equal((1, 2), (await first.Done, await second.Done));
        Assert.Equal((0, 0), (scheduler.RunningLarge, scheduler.Queued));
    }

    [Fact]
    public async Task RunAsync_WhenASlotFrees_GivesItToAWaitingSmallModelBeforeAWaitingLargeOne()
    {
        // Three slots, two of them allowed to large models: one large and two small run, so a large one could take the next.
        var scheduler = Scheduler(3);
        var large = Hold(scheduler, Large, 1);
        var smallRunning = Hold(scheduler, Small, 2);
        var otherSmall = Hold(scheduler, Small, 3);
        await Task.WhenAll(large.Started.Task, smallRunning.Started.Task, otherSmall.Started.Task);
        var largeWaiting = Hold(scheduler, Large, 4);
        var smallWaiting = Hold(scheduler, Small, 5);
        Assert.Equal(2, scheduler.Queued);

        smallRunning.Release.Set();
        await smallWaiting.Started.Task;

        Assert.False(largeWaiting.Started.Task.IsCompleted);
        Assert.Equal(1, scheduler.Queued);
        foreach (var held in new[] { large, otherSmall, smallWaiting, largeWaiting }) held.Release.Set();
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, await Task.WhenAll(large.Done, smallRunning.Done, otherSmall.Done, largeWaiting.Done, smallWaiting.Done));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_LeavesTheQueueAndTakesNoSlot()
    {
        var scheduler = Scheduler(1);
        var running = Hold(scheduler, Large, 1);
        await running.Started.Task;
        using var cancel = new CancellationTokenSource();
        var waiting = scheduler.RunAsync(Large, () => 2, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        running.Release.Set();
        await running.Done;

        Assert.Equal(5, await scheduler.RunAsync(Large, () => 5, CancellationToken.None));
        Assert.Equal((0, 0), (scheduler.RunningLarge, scheduler.Queued));
    }

    [Theory]
    [InlineData("MaxConcurrentAnalyses", 0)]
    [InlineData("SmallModelBytes", -1)]
    [InlineData("Exact:MaxConcurrent", -1)]
    [InlineData("Exact:MaxAttempts", 0)]
    [InlineData("AnalysisTimeout", 0)]
    [InlineData("AnalysisTimeout", 7200)]
    public void Validate_WithAnImpossibleValue_SaysWhichSettingIsWrong(string setting, int value)
    {
        var options = new PricingServiceOptions();
        switch (setting)
        {
            case "MaxConcurrentAnalyses": options.MaxConcurrentAnalyses = value; break;
            case "SmallModelBytes": options.SmallModelBytes = value; break;
            case "Exact:MaxConcurrent": options.Exact.MaxConcurrent = value; break;
            case "AnalysisTimeout": options.AnalysisTimeout = TimeSpan.FromSeconds(value); break;
            default: options.Exact.MaxAttempts = value; break;
        }

        var error = Assert.Single(options.Validate());
        Assert.StartsWith($"Pricing:{setting} must", error, StringComparison.Ordinal);
        Assert.Empty(new PricingServiceOptions().Validate());
    }
}
