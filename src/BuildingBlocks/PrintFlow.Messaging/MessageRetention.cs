using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PrintFlow.Messaging;

/// <summary>
/// Keeps a service's outbox and inbox from growing for ever: every <see cref="MessagingOptions.RetentionInterval"/> it
/// deletes outbox rows dispatched longer ago than <see cref="MessagingOptions.OutboxRetention"/> and inbox rows older
/// than <see cref="MessagingOptions.InboxRetention"/>, in batches of <see cref="MessagingOptions.RetentionBatchSize"/>
/// (one short transaction each). Undispatched and dead-lettered outbox rows are never deleted. Safe with several
/// instances: on PostgreSQL each batch skips the rows another instance is deleting (<c>FOR UPDATE SKIP LOCKED</c>),
/// and deletes the rows it locked by their physical address (<c>ctid</c>, a TID scan), since matching them by key
/// made PostgreSQL hash-join the whole table on every batch (figures in docs/messaging.md, "Retention"). The service's
/// own tables that grow with traffic are pruned in the same pass by their <see cref="IRetentionRule{TDbContext}"/>.
/// </summary>
/// <remarks>
/// The inbox needs no index of its own for this: message ids are UUIDv7 (<see cref="ServiceDbContext.Publish"/>),
/// time-ordered in PostgreSQL's uuid order, so the primary key finds the old rows, and "ProcessedAt" decides. A row
/// whose id is not time-ordered is still never deleted early, only perhaps late.
/// </remarks>
public sealed class MessageRetention<TDbContext>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<MessageRetention<TDbContext>> logger,
    MessagingMetrics? metrics = null,
    OutboxMonitor<TDbContext>? monitor = null,
    IEnumerable<IRetentionRule<TDbContext>>? rules = null) : BackgroundService
    where TDbContext : ServiceDbContext
{
    private readonly MessagingOptions _options = options.Value;
    private readonly string _service = monitor?.Service ?? typeof(TDbContext).Name;
    private readonly IRetentionRule<TDbContext>[] _rules = rules?.ToArray() ?? [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Instances started together spread their runs over the interval instead of pruning at the same moment.
        var wait = _options.RetentionInterval * Random.Shared.NextDouble();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, clock, stoppingToken);
                await PruneAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                metrics?.PruneFailed(_service);
                logger.LogWarning(exception, "Pruning the outbox and inbox of {Service} failed; trying again in {Interval}",
                    _service, _options.RetentionInterval);
            }

            wait = _options.RetentionInterval;
        }
    }

    /// <summary>Deletes every row past its retention now, batch by batch, and returns how many of each went.</summary>
    public async Task<(long Outbox, long Inbox)> PruneAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var outboxCutoff = now - _options.OutboxRetention;
        var inboxCutoff = now - _options.InboxRetention;
        var outbox = await DeleteAllAsync(outboxCutoff, DeleteDispatchedAsync, cancellationToken);
        var inbox = await DeleteAllAsync(inboxCutoff, DeleteInboxAsync, cancellationToken);
        if (outbox > 0 || inbox > 0)
        {
            metrics?.Pruned(_service, outbox, inbox);
            logger.LogInformation(
                "Pruned {Outbox} outbox rows dispatched before {OutboxCutoff:O} and {Inbox} inbox rows processed before {InboxCutoff:O} of {Service}",
                outbox, outboxCutoff, inbox, inboxCutoff, _service);
        }

        foreach (var rule in _rules)
        {
            var deleted = await DeleteAllAsync(now, rule.DeleteBatchAsync, cancellationToken);
            if (deleted > 0)
            {
                logger.LogInformation("Pruned {Rows} rows of {Table} past their retention in {Service}", deleted, rule.Table, _service);
            }
        }

        return (outbox, inbox);
    }

    private async Task<long> DeleteAllAsync(
        DateTimeOffset cutoff, Func<TDbContext, DateTimeOffset, int, CancellationToken, Task<int>> deleteBatch, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
            var deleted = await deleteBatch(db, cutoff, _options.RetentionBatchSize, cancellationToken);
            total += deleted;
            if (deleted < _options.RetentionBatchSize)
            {
                return total;
            }
        }
    }

    private static Task<int> DeleteDispatchedAsync(TDbContext db, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        db.Database.IsPostgres()
            ? db.Database.ExecuteSqlAsync($"""
                DELETE FROM outbox_messages WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM outbox_messages
                    WHERE "DispatchedAt" < {cutoff}
                    ORDER BY "DispatchedAt"
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED))
                """, cancellationToken)
            // SQLite (one writer at a time) stores times as UTC ticks (ServiceDbContext.ConfigureConventions).
            : db.Database.ExecuteSqlAsync($"""
                DELETE FROM outbox_messages WHERE "Id" IN (
                    SELECT "Id" FROM outbox_messages
                    WHERE "DispatchedAt" < {cutoff.UtcTicks}
                    ORDER BY "DispatchedAt"
                    LIMIT {batch})
                """, cancellationToken);

    private static Task<int> DeleteInboxAsync(TDbContext db, DateTimeOffset cutoff, int batch, CancellationToken cancellationToken) =>
        db.Database.IsPostgres()
            ? db.Database.ExecuteSqlAsync($"""
                DELETE FROM inbox_messages WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM inbox_messages
                    WHERE "MessageId" < {FirstVersion7IdAt(cutoff)} AND "ProcessedAt" < {cutoff}
                    LIMIT {batch}
                    FOR UPDATE SKIP LOCKED))
                """, cancellationToken)
            // SQLite keeps rows in insertion order (rowid), so the scan meets the old rows first.
            : db.Database.ExecuteSqlAsync($"""
                DELETE FROM inbox_messages WHERE rowid IN (
                    SELECT rowid FROM inbox_messages
                    WHERE "ProcessedAt" < {cutoff.UtcTicks}
                    LIMIT {batch})
                """, cancellationToken);

    /// <summary>The lowest UUIDv7 of the millisecond <paramref name="at"/>: every v7 id made earlier sorts below it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Kept beside the SQL that uses it.")]
    public static Guid FirstVersion7IdAt(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)milliseconds;
            milliseconds >>= 8;
        }

        bytes[6] = 0x70; // version 7, random bits 0
        bytes[8] = 0x80; // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
