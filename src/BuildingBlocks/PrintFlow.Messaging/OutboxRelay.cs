using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PrintFlow.Messaging;

/// <summary>
/// Publishes a service's outbox. Rows are claimed with a lease (on PostgreSQL one UPDATE over the rows a
/// <c>FOR UPDATE SKIP LOCKED</c> sub-select picked, so relays in many processes take disjoint batches without waiting
/// on each other; elsewhere a conditional UPDATE), delivered per order in sequence, then marked dispatched. A failed
/// delivery backs off exponentially and is dead-lettered after <see cref="MessagingOptions.MaxAttempts"/>.
/// Per order, a message is delivered only once every earlier message of that order is dispatched or dead-lettered:
/// rows of an order whose earlier message another relay holds, or is backing off, stay claimed but undelivered and
/// are released, so two relays never deliver messages of one order at the same time or out of sequence.
/// </summary>
public sealed class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopes,
    IMessageTransport transport,
    OutboxSignal<TDbContext> signal,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay<TDbContext>> logger,
    MessagingMetrics? metrics = null,
    OutboxMonitor<TDbContext>? monitor = null) : BackgroundService
    where TDbContext : ServiceDbContext
{
    private const int MaxErrorLength = 2000;

    /// <summary>
    /// Per order, the first undispatched message this claim does not hold. Compiled once: every relay round asks, and a
    /// LINQ query is looked up in EF's query cache on every call, which means walking and hashing its expression tree.
    /// </summary>
    private static readonly CompiledQuery<Func<TDbContext, Guid[], Guid, IAsyncEnumerable<FirstPending>>> FirstPendingElsewhere = new(() =>
        EF.CompileAsyncQuery((TDbContext db, Guid[] orders, Guid lockId) => db.Outbox.AsNoTracking()
            .Where(m => orders.Contains(m.CorrelationId) && m.DispatchedAt == null && m.DeadLetteredAt == null && m.LockedBy != lockId)
            .GroupBy(m => m.CorrelationId)
            .Select(g => new FirstPending(g.Key, g.Min(m => m.Id)))));

    /// <summary>An order's first undispatched message that another claim (or none) holds.</summary>
    private sealed record FirstPending(Guid Order, long FirstId);

    private readonly MessagingOptions _options = options.Value;
    private readonly string _service = monitor?.Service ?? typeof(TDbContext).Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RelayOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogError(exception, "Outbox relay for {DbContext} failed; retrying after the poll interval", typeof(TDbContext).Name);
            }

            if (claimed < _options.BatchSize)
            {
                await signal.WaitAsync(_options.PollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>Claims the rows that are due, delivers those not blocked by an earlier message of their order and returns how many it delivered or tried.</summary>
    public async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        var lockId = Guid.NewGuid();
        var claimed = await ClaimAsync(lockId, cancellationToken);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // Leases are renewed and released by row id (the primary key): a condition on "LockedBy" alone scans the
        // whole outbox, dispatched history included (docs/messaging.md).
        var claimedIds = claimed.Select(m => m.Id).ToArray();
        var batch = await WithoutBlockedAsync(claimed, lockId, cancellationToken);
        if (batch.Count == 0)
        {
            await ReleaseAsync(claimedIds, lockId, CancellationToken.None);
            return 0;
        }

        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewing = RenewLeaseAsync(claimedIds, lockId, renewal.Token);
        var delivered = new System.Collections.Concurrent.ConcurrentQueue<long>();
        try
        {
            await Parallel.ForEachAsync(
                batch.GroupBy(row => row.CorrelationId),
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentDeliveries, CancellationToken = cancellationToken },
                async (rowsOfOneOrder, token) =>
                {
                    foreach (var row in rowsOfOneOrder)
                    {
                        if (!await DeliverAsync(row, lockId, token))
                        {
                            break; // later messages of this order wait rather than overtake the failed one
                        }

                        delivered.Enqueue(row.Id);
                    }
                });
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
            // One UPDATE (one commit) marks the whole batch: a crash before it re-sends these rows, which the
            // consumers' inboxes absorb, and nothing of a later batch is claimed before it ran.
            var dispatched = delivered.ToArray();
            await MarkDispatchedAsync(dispatched, lockId);
            if (dispatched.Length < claimedIds.Length)
            {
                await ReleaseAsync([.. claimedIds.Except(dispatched)], lockId, CancellationToken.None);
            }
        }

        return batch.Count;
    }

    private async Task<List<OutboxMessage>> ClaimAsync(Guid lockId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = clock.GetUtcNow();
        var until = now + _options.LeaseDuration;
        if (db.Database.IsPostgres())
        {
            var rows = await db.Outbox.FromSql($"""
                UPDATE outbox_messages SET "LockedBy" = {lockId}, "LockedUntil" = {until}
                WHERE "Id" IN (
                    SELECT "Id" FROM outbox_messages
                    WHERE "DispatchedAt" IS NULL AND "DeadLetteredAt" IS NULL AND "NextAttemptAt" <= {now}
                      AND ("LockedUntil" IS NULL OR "LockedUntil" < {now})
                    ORDER BY "Id"
                    LIMIT {_options.BatchSize}
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).AsNoTracking().ToListAsync(cancellationToken);
            return [.. rows.OrderBy(m => m.Id)];
        }

        var candidates = await db.Outbox.AsNoTracking()
            .Where(m => m.DispatchedAt == null && m.DeadLetteredAt == null && m.NextAttemptAt <= now
                && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(_options.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        // The lease condition is repeated on the updated rows themselves: whichever relay updates a row first owns it.
        await db.Outbox
            .Where(m => candidates.Contains(m.Id) && m.DispatchedAt == null && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, lockId).SetProperty(m => m.LockedUntil, until), cancellationToken);
        return await db.Outbox.AsNoTracking()
            .Where(m => candidates.Contains(m.Id) && m.LockedBy == lockId && m.DispatchedAt == null)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The claimed rows that may go now: per order, those before the order's first undispatched message that this
    /// claim does not hold (held by another relay, or waiting out a back-off). Checked after the claim committed, so
    /// of two relays racing for one order's messages the one holding the earlier message always wins.
    /// </summary>
    private async Task<List<OutboxMessage>> WithoutBlockedAsync(List<OutboxMessage> claimed, Guid lockId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        Guid[] orders = [.. claimed.Select(m => m.CorrelationId).Distinct()];
        var firstElsewhere = new Dictionary<Guid, long>();
        await foreach (var pending in FirstPendingElsewhere.For(db)(db, orders, lockId).WithCancellation(cancellationToken))
        {
            firstElsewhere[pending.Order] = pending.FirstId;
        }

        return [.. claimed.Where(m => !firstElsewhere.TryGetValue(m.CorrelationId, out var first) || m.Id < first)];
    }

    private async Task<bool> DeliverAsync(OutboxMessage row, Guid lockId, CancellationToken cancellationToken)
    {
        var stored = row.ToEnvelope();
        using var activity = MessagingTelemetry.StartMessageActivity("publish", stored);
        activity?.SetTag("printflow.service", _service);
        var envelope = stored with { TraceParent = activity?.Id ?? row.TraceParent };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.DeliveryTimeout);
            try
            {
                await transport.PublishAsync(envelope, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Delivery did not complete within {_options.DeliveryTimeout}.");
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            await RecordFailureAsync(row, lockId, exception, cancellationToken);
            return false;
        }

        metrics?.Published(_service, row.Name, clock.GetUtcNow() - row.CreatedAt);
        return true;
    }

    private async Task MarkDispatchedAsync(long[] ids, Guid lockId)
    {
        if (ids.Length == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var now = clock.GetUtcNow();
        if (db.Database.IsPostgres())
        {
            // Every relay round ends here: plain SQL, where ExecuteUpdate would look its query up in EF's query cache
            // (walking and hashing the expression tree) each time.
            await db.Database.ExecuteSqlAsync($"""
                UPDATE outbox_messages SET "DispatchedAt" = {now}, "Attempts" = "Attempts" + 1, "LockedBy" = NULL, "LockedUntil" = NULL
                WHERE "Id" = ANY({ids}) AND "LockedBy" = {lockId}
                """, CancellationToken.None);
            return;
        }

        await db.Outbox.Where(m => ids.Contains(m.Id) && m.LockedBy == lockId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.DispatchedAt, now)
            .SetProperty(m => m.Attempts, m => m.Attempts + 1)
            .SetProperty(m => m.LockedBy, (Guid?)null)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), CancellationToken.None);
    }

    private async Task RecordFailureAsync(OutboxMessage row, Guid lockId, Exception exception, CancellationToken cancellationToken)
    {
        var attempts = row.Attempts + 1;
        var now = clock.GetUtcNow();
        var deadLettered = attempts >= _options.MaxAttempts ? now : (DateTimeOffset?)null;
        var error = $"{exception.GetType().Name}: {exception.Message}";
        if (error.Length > MaxErrorLength)
        {
            error = error[..MaxErrorLength];
        }

        metrics?.DeliveryFailed(_service, row.Name, deadLettered is not null);
        if (deadLettered is null)
        {
            logger.LogWarning("Delivery {Attempt} of {MessageName} {MessageId} for order {OrderId} failed: {Error}",
                attempts, row.Name, row.MessageId, row.CorrelationId, error);
        }
        else
        {
            logger.LogError("Dead-lettered {MessageName} {MessageId} for order {OrderId} after {Attempts} attempts: {Error}",
                row.Name, row.MessageId, row.CorrelationId, attempts, error);
        }

        await UpdateOwnedAsync(row.Id, lockId, s => s
            .SetProperty(m => m.Attempts, attempts)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.NextAttemptAt, now + _options.BackoffFor(attempts))
            .SetProperty(m => m.DeadLetteredAt, deadLettered)
            .SetProperty(m => m.LockedBy, (Guid?)null)
            .SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), cancellationToken);
    }

    private async Task UpdateOwnedAsync(
        long id,
        Guid lockId,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<OutboxMessage>> setters,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.Outbox.Where(m => m.Id == id && m.LockedBy == lockId).ExecuteUpdateAsync(setters, cancellationToken);
    }

    private async Task RenewLeaseAsync(long[] ids, Guid lockId, CancellationToken cancellationToken)
    {
        var period = _options.LeaseDuration / 3;
        try
        {
            while (true)
            {
                // The delivery usually ends first: that cancellation is the loop's normal end, so it is checked here
                // rather than thrown (an exception at the end of every relay round).
                await Task.Delay(period, clock, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                var until = clock.GetUtcNow() + _options.LeaseDuration;
                await db.Outbox.Where(m => ids.Contains(m.Id) && m.LockedBy == lockId && m.DispatchedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, until), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Delivery finished while the lease was being renewed.
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "Renewing the outbox lease failed; another relay may deliver these rows again");
        }
    }

    private async Task ReleaseAsync(long[] ids, Guid lockId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await db.Outbox.Where(m => ids.Contains(m.Id) && m.LockedBy == lockId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, (Guid?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null), cancellationToken);
    }
}
