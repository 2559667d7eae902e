using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Data;
using PrintFlow.Messaging;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Asks every active printer how it is, records the answer and settles prints: a finished print moves its jobs to
/// post-processing, an error, a cancel or a printer gone offline puts them back in the queue with the reason. Each
/// printer is polled on its own (at most <see cref="FarmOptions.MaxConcurrentPolls"/> at once, each within
/// <see cref="FarmOptions.PrinterTimeout"/>), and a printer still answering skips its next turns instead of holding a
/// round, so one slow printer never delays the others. Nothing is sent to a printer here: only status is read.
/// </summary>
public sealed class PrinterMonitor(
    IServiceScopeFactory scopes, IPrinterConnection connection, IOptionsMonitor<FarmOptions> options, TimeProvider clock,
    LiveFeed feed, FarmMetrics metrics, ILogger<PrinterMonitor> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Task> _inFlight = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.MonitorEnabled)
        {
            return;
        }

        using var gate = new SemaphoreSlim(options.CurrentValue.MaxConcurrentPolls);
        using var timer = new PeriodicTimer(options.CurrentValue.PollInterval, clock);
        do
        {
            try
            {
                await StartRoundAsync(gate, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The database may be briefly unavailable; the next round tries again.
                logger.LogWarning(exception, "A printer monitor round failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));

        await Task.WhenAll(_inFlight.Values);
    }

    private async Task StartRoundAsync(SemaphoreSlim gate, CancellationToken stoppingToken)
    {
        List<Guid> printers;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MesDbContext>();
            printers = await db.Printers.AsNoTracking()
                .Where(p => p.State != PrinterState.Retired && p.State != PrinterState.Maintenance)
                .Select(p => p.PrinterId).ToListAsync(stoppingToken);
            metrics.Observe(await FarmMetrics.CountAsync(db, clock.GetUtcNow(), stoppingToken));
        }

        foreach (var printerId in printers)
        {
            if (_inFlight.ContainsKey(printerId))
            {
                continue; // still answering the last round
            }

            var poll = PollGatedAsync(printerId, gate, stoppingToken);
            if (!poll.IsCompleted)
            {
                _inFlight[printerId] = poll;
                _ = poll.ContinueWith(_ => _inFlight.TryRemove(printerId, out var _), TaskScheduler.Default);
            }
        }
    }

    private async Task PollGatedAsync(Guid printerId, SemaphoreSlim gate, CancellationToken stoppingToken)
    {
        await gate.WaitAsync(stoppingToken);
        try
        {
            await PollAsync(printerId, stoppingToken);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Polling printer {PrinterId} failed", printerId);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One printer's turn: read its status within the timeout, record it, settle its print.</summary>
    public async Task PollAsync(Guid printerId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MesDbContext>();
        var keys = scope.ServiceProvider.GetRequiredService<PrinterKeys>();
        var printer = await db.Printers.FirstOrDefaultAsync(p => p.PrinterId == printerId, cancellationToken);
        if (printer is null || printer.State is PrinterState.Retired or PrinterState.Maintenance)
        {
            return;
        }

        var settings = options.CurrentValue;
        var status = await AskAsync(printer, keys, settings.PrinterTimeout, cancellationToken);
        var now = clock.GetUtcNow();
        var before = (printer.State, printer.Progress, printer.SecondsLeft, printer.ErrorCode);
        var outcome = printer.Observe(status, now, settings.UploadTimeout + settings.PrinterTimeout);
        if (outcome.PrintId is { } printId)
        {
            var jobs = await db.Jobs.Include(j => j.Items).Where(j => j.PrintId == printId).ToListAsync(cancellationToken);
            if (await db.Plates.FirstOrDefaultAsync(p => p.PlateId == printId && p.State == PlateState.Printing, cancellationToken) is { } plate)
            {
                // Every job on the plate moves on together, or goes back to the queue together with the reason.
                if (outcome.Succeeded)
                {
                    plate.Finish(now);
                }
                else
                {
                    plate.Fail(outcome.Reason!, now);
                }
            }

            foreach (var job in jobs)
            {
                if (outcome.Succeeded)
                {
                    if (job.PrintFinished(printId, now) is { } progressed)
                    {
                        db.Publish(progressed, clock);
                    }
                }
                else
                {
                    job.ReturnToQueue(printId, outcome.Reason!, now);
                }
            }

            var settled = outcome.Succeeded ? "finished" : "failed";
            db.AfterCommit(() => metrics.PrintSettled(settled));
            logger.LogInformation("Print {PrintId} on {Printer} {Outcome} ({Jobs} jobs): {Reason}",
                printId, printer.Name, outcome.Succeeded ? "finished" : "failed", jobs.Count, outcome.Reason);
            db.AfterCommit(() => feed.Notify(MesTopics.Queue));
        }

        if (outcome.PrintId is not null || before != (printer.State, printer.Progress, printer.SecondsLeft, printer.ErrorCode))
        {
            db.AfterCommit(() => feed.Notify(MesTopics.Floor));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A supervisor or a new print changed the printer meanwhile; the next turn reads it afresh.
            logger.LogInformation("Printer {Printer} changed while its report was recorded; the next turn applies it", printer.Name);
        }
    }

    private async Task<PrinterStatus> AskAsync(Printer printer, PrinterKeys keys, TimeSpan timeout, CancellationToken cancellationToken)
    {
        PrinterEndpoint endpoint;
        try
        {
            endpoint = keys.EndpointOf(printer);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return new PrinterStatus(PrinterLinkState.Offline, null, null, null, PrinterErrorCodes.Unauthorized,
                "The stored API key cannot be read with this deployment's keys; enter it again.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // WaitAsync: a connection that ignores its token still cannot hold this printer's turn past the timeout.
            return await connection.GetStatusAsync(endpoint, deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PrinterStatus(PrinterLinkState.Offline, null, null, null, PrinterErrorCodes.Timeout,
                $"No answer within {timeout.TotalSeconds:0.#} s.");
        }
    }
}
