using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.FeatureManagement;
using PrintFlow.Contracts;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Options;
using PrintFlow.ServiceDefaults;
using PrintFlow.Slicing;

namespace PrintFlow.Pricing.Exact;

/// <summary>
/// Works through the exact-pricing jobs in Pricing's database: <c>Pricing:Exact:MaxConcurrent</c> loops, each
/// claiming one job with a lease, slicing, and committing the job's outcome with its <see cref="QuoteRefined"/>.
/// A failure is recorded on the job and logged with its code; the estimate the customer holds stands.
/// </summary>
public sealed class ExactRefinementWorker(
    PricingServiceOptions service,
    ExactSlicerOptions slicerOptions,
    ExactJobSignal signal,
    ExactRefiner refiner,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IFeatureManager features,
    ILogger<ExactRefinementWorker> logger) : BackgroundService
{
    private static readonly Func<ILogger, Guid, IDisposable?> OrderScope = LoggerMessage.DefineScope<Guid>("Exact pricing of order {OrderId}");

    private ExactModeOptions Options => service.Exact;

    /// <summary>A claim outlives the slicer's own timeout, so only a worker that died loses its job.</summary>
    private TimeSpan Lease => slicerOptions.Timeout + TimeSpan.FromMinutes(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Options.MaxConcurrent == 0)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(Enumerable.Range(0, Options.MaxConcurrent).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            try
            {
                // Asked each round, so the flag switches a running worker (recorded jobs wait while it is off).
                if (await features.IsEnabledAsync(FeatureFlags.ExactPricing) && await ClaimAsync(stoppingToken) is { } job)
                {
                    await RunAsync(job, stoppingToken);
                    continue;
                }

                await wake.WaitAsync(Options.PollInterval, clock, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Poll: jobs of other instances, or ones whose worker stopped.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The claimed job stays claimed until its lease runs out, then it is tried again (up to MaxAttempts).
                logger.LogError(exception, "Exact pricing worker failed; it goes on after a pause");
                try
                {
                    await Task.Delay(Options.PollInterval, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims the oldest pending job, or one whose lease ran out; null when there is none.</summary>
    private async Task<ExactJob?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        var now = clock.GetUtcNow();
        var candidates = await db.ExactJobs.AsNoTracking()
            .Where(j => j.State == ExactJobState.Pending || (j.State == ExactJobState.Running && j.LeaseUntil < now))
            .OrderBy(j => j.CreatedAt)
            .Select(j => j.EstimateQuoteId)
            .Take(5)
            .ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            // The condition is repeated on the update itself: whichever worker updates the row first owns it.
            var claim = Guid.NewGuid();
            var claimed = await db.ExactJobs
                .Where(j => j.EstimateQuoteId == id
                    && (j.State == ExactJobState.Pending || (j.State == ExactJobState.Running && j.LeaseUntil < now)))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.State, ExactJobState.Running)
                    .SetProperty(j => j.ClaimedBy, claim)
                    .SetProperty(j => j.LeaseUntil, now + Lease)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1), cancellationToken);
            if (claimed == 1)
            {
                return await db.ExactJobs.AsNoTracking().FirstAsync(j => j.EstimateQuoteId == id, cancellationToken);
            }
        }

        return null;
    }

    private async Task RunAsync(ExactJob job, CancellationToken stoppingToken)
    {
        var orderNumber = OrderNumber.From(job.OrderId);
        if (job.Attempts > Options.MaxAttempts)
        {
            await FinishAsync(job, null, "slicer.abandoned",
                $"Exact pricing was started {job.Attempts - 1} times without finishing; the estimate stands.");
            return;
        }

        // Past the deadline the channels no longer say "being refined": the estimate is the price, and stays it.
        var left = job.CreatedAt + Options.RefiningDeadline - clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            await FinishAsync(job, null, DeadlinePassed, DeadlineReason());
            return;
        }

        using var _ = OrderScope(logger, job.OrderId);
        using var deadline = new CancellationTokenSource(left, clock);
        using var slicing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        try
        {
            var request = job.Request;
            var started = clock.GetTimestamp();
            var quote = await refiner.RefineAsync(request, slicing.Token);
            logger.LogInformation("Exact quote {QuoteId} for order {OrderNumber}: {Amount} {Currency} (estimate {EstimateQuoteId}) in {ElapsedMs:F0} ms",
                quote.QuoteId, orderNumber, quote.Amount, quote.Currency, job.EstimateQuoteId, clock.GetElapsedTime(started).TotalMilliseconds);
            await FinishAsync(job, quote, null, null);
        }
        catch (Exception failure) when (failure is SlicerException or ModelFormatException)
        {
            var code = failure is SlicerException s ? s.Code : ((ModelFormatException)failure).Code;
            logger.LogWarning("Exact pricing of order {OrderNumber} failed ({Code}): {Reason} The estimate {EstimateQuoteId} stands.",
                orderNumber, code, failure.Message, job.EstimateQuoteId);
            await FinishAsync(job, null, code, failure.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: hand the job back at once rather than after the lease.
            await ReleaseAsync(job);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            logger.LogWarning("Exact pricing of order {OrderNumber} did not finish within {Deadline}; the estimate {EstimateQuoteId} stands.",
                orderNumber, Options.RefiningDeadline, job.EstimateQuoteId);
            await FinishAsync(job, null, DeadlinePassed, DeadlineReason());
        }
    }

    /// <summary>The failure code of a job whose refining deadline (<c>Pricing:Exact:RefiningDeadline</c>) passed first.</summary>
    public const string DeadlinePassed = "slicer.deadline-passed";

    private string DeadlineReason() =>
        $"The exact quote was not ready within {Options.RefiningDeadline.TotalSeconds:0} s of the estimate; the estimate stands.";

    private async Task FinishAsync(ExactJob claimed, QuoteSummary? quote, string? code, string? reason)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        var job = await db.ExactJobs.FirstAsync(j => j.EstimateQuoteId == claimed.EstimateQuoteId);
        if (job.ClaimedBy != claimed.ClaimedBy || job.State != ExactJobState.Running)
        {
            logger.LogWarning("Exact job for order {OrderNumber} was taken over by another worker; this result is dropped", OrderNumber.From(job.OrderId));
            return;
        }

        var now = clock.GetUtcNow();
        job.CompletedAt = now;
        job.LeaseUntil = null;
        if (quote is not null)
        {
            job.State = ExactJobState.Done;
            job.RefinedQuoteId = quote.QuoteId;
            db.Publish(new QuoteRefined(job.OrderId, job.EstimateQuoteId, quote, now), clock);
        }
        else
        {
            job.State = ExactJobState.Failed;
            job.FailureCode = code;
            job.FailureReason = reason;
        }

        await db.SaveChangesAsync();
    }

    private async Task ReleaseAsync(ExactJob claimed)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        await db.ExactJobs
            .Where(j => j.EstimateQuoteId == claimed.EstimateQuoteId && j.ClaimedBy == claimed.ClaimedBy && j.State == ExactJobState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, ExactJobState.Pending)
                .SetProperty(j => j.ClaimedBy, (Guid?)null)
                .SetProperty(j => j.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.Attempts, j => j.Attempts - 1));
    }
}
