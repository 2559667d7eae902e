using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrintFlow.Messaging;

/// <summary>
/// Dispatches an envelope to the handler a service registered for it, exactly once in effect: the handler's
/// changes and the inbox row (message id + consumer) are saved together, and an inbox row that already exists
/// means the message was applied before (the save of a repeat fails on its key and nothing of it commits).
/// Several envelopes handed over at once are applied in one transaction (<see cref="DispatchBatchAsync"/>).
/// </summary>
public sealed class MessageEndpoint<TDbContext>(
    string name,
    IReadOnlyDictionary<string, HandlerRegistration> handlers,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<MessageEndpoint<TDbContext>> logger,
    MessagingMetrics? metrics = null,
    Func<int>? maxBatchSize = null) : IMessageEndpoint
    where TDbContext : ServiceDbContext
{
    private const int ConcurrencyRetries = 8;
    private const int BatchAttempts = 3;
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public string Name => name;
    public IReadOnlyCollection<string> Subscriptions => (IReadOnlyCollection<string>)handlers.Keys;
    // Read when a broker consumer first asks (the options need configuration, which an endpoint alone does not).
    private readonly Lazy<int> _maxBatchSize = new(maxBatchSize ?? (() => 1));

    public int MaxBatchSize => _maxBatchSize.Value;

    /// <summary>
    /// Applies the envelopes one after another in one transaction, each through its own scope (handlers and DbContext
    /// as if alone) on one shared connection, so each sees the ones before it and they commit once. If anything of
    /// that fails, nothing of it commits: a database refusal (a concurrency token, a key, a lock held too long by
    /// another instance) is tried again as a batch, up to three attempts in all; after that, or when a handler
    /// objects, every envelope is dispatched alone, with the usual retries and duplicate detection. Effects are
    /// therefore exactly those of one-by-one dispatch; a busy consumer saves a commit, a connection and a transaction
    /// per message.
    /// </summary>
    public async Task<Exception?[]> DispatchBatchAsync(IReadOnlyList<MessageEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var results = new Exception?[envelopes.Count];
        var handled = new List<int>(envelopes.Count);
        for (var i = 0; i < envelopes.Count; i++)
        {
            if (handlers.ContainsKey(envelopes[i].Name))
            {
                handled.Add(i);
            }
        }

        for (var attempt = 1; handled.Count > 1 && MaxBatchSize > 1; attempt++)
        {
            try
            {
                await ApplyTogetherAsync([.. handled.Select(i => envelopes[i])], cancellationToken);
                metrics?.Batch(name, handled.Count, "committed");
                return results;
            }
            catch (Exception exception) when (attempt < BatchAttempts && IsConflict(exception) && !cancellationToken.IsCancellationRequested)
            {
                // Mostly another instance's batch changed one of the same rows first, or held it past the lock
                // timeout (two status events of one order reach two instances at once): re-read and apply the batch
                // again, which costs less than one transaction per message. A repeat's inbox key fails every attempt
                // and ends in the split below.
                metrics?.Batch(name, handled.Count, "retried");
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), cancellationToken);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                metrics?.Batch(name, handled.Count, "split");
                logger.LogInformation("{Count} messages could not be applied together ({ErrorType}: {Error}); applying them one at a time",
                    handled.Count, exception.GetType().Name, exception.GetBaseException().Message);
                break;
            }
        }

        foreach (var i in handled)
        {
            results[i] = await this.TryDispatchAsync(envelopes[i], cancellationToken);
        }

        return results;
    }

    /// <summary>The database refused the batch's writes (a concurrency token, a key, a lock wait): not a handler's objection.</summary>
    private static bool IsConflict(Exception exception) =>
        exception is DbUpdateException || exception.GetBaseException() is System.Data.Common.DbException;

    private async Task ApplyTogetherAsync(MessageEnvelope[] envelopes, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var members = new List<(AsyncServiceScope Scope, TDbContext Db, string? Own, MessageEnvelope Envelope, Outcome Outcome)>(envelopes.Length);
        await using var owner = scopes.CreateAsyncScope();
        var ownerDb = owner.ServiceProvider.GetRequiredService<TDbContext>();
        try
        {
            await using var transaction = await ownerDb.Database.BeginTransactionAsync(cancellationToken);
            if (ownerDb.Database.ProviderName == NpgsqlProvider)
            {
                // A row another instance's batch holds is waited for briefly, not up to the deadlock detector's
                // second: past this the batch is refused, then tried again or split (above).
                await ownerDb.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '200ms'", cancellationToken);
            }

            var connection = ownerDb.Database.GetDbConnection();
            var shared = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction);
            // One order's messages keep their order; across orders, every batch takes the rows in the same order.
            foreach (var envelope in envelopes.OrderBy(e => e.CorrelationId))
            {
                var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                members.Add((scope, db, Lend(db, connection), envelope, Outcome.NoChange));
                await db.Database.UseTransactionAsync(shared, cancellationToken);
                db.Database.AutoSavepointsEnabled = false;
                db.DeferToCommit();
                members[^1] = members[^1] with { Outcome = await StageAsync(envelope, scope.ServiceProvider, db, cancellationToken) };
            }

            foreach (var member in members)
            {
                await member.Db.RunBeforeCommitAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            foreach (var member in members)
            {
                await ReleaseAsync(member.Scope, member.Db, member.Own);
            }

            throw;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var outbox = owner.ServiceProvider.GetService<OutboxCommitInterceptor<TDbContext>>();
        foreach (var (scope, db, own, envelope, outcome) in members)
        {
            outbox?.Committed(db); // wakes the relay if this message published anything
            try
            {
                db.RunAfterCommit();
            }
            catch (Exception exception)
            {
                // The effect has committed; what follows a commit only tells others (open pages, metrics).
                logger.LogWarning(exception, "An action after applying {MessageName} for order {OrderId} failed", envelope.Name, envelope.CorrelationId);
            }
            finally
            {
                await ReleaseAsync(scope, db, own);
            }

            using (LogScope(envelope))
            {
                Record(envelope, outcome, elapsed, members.Count);
            }
        }
    }

    /// <summary>
    /// A batch member's context works on the batch's connection (and, next, its transaction). Returns the connection
    /// string it had, for <see cref="ReleaseAsync"/>.
    /// </summary>
    private static string? Lend(TDbContext db, System.Data.Common.DbConnection connection)
    {
        var own = db.Database.GetConnectionString();
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        return own;
    }

    /// <summary>
    /// Gives a batch member's context its own connection back before its scope ends: contexts are pooled, and the next
    /// unit of work that rents this one must not find the batch's connection in it.
    /// </summary>
    private static async ValueTask ReleaseAsync(AsyncServiceScope scope, TDbContext db, string? own)
    {
        db.Database.SetDbConnection(null, contextOwnsConnection: true);
        db.Database.SetConnectionString(own);
        await scope.DisposeAsync();
    }

    /// <summary>One envelope of a batch: its handler runs and its changes are written, uncommitted.</summary>
    private async Task<Outcome> StageAsync(MessageEnvelope envelope, IServiceProvider services, TDbContext db, CancellationToken cancellationToken)
    {
        var handler = handlers[envelope.Name];
        using var activity = MessagingTelemetry.StartMessageActivity("process", envelope);
        activity?.SetTag("messaging.consumer.group.name", name);
        var message = MessageSerializer.Deserialize(envelope);
        await handler.Invoke(services, message, new MessageContext(envelope.MessageId, envelope.Name, envelope.CorrelationId, envelope.SentAt), cancellationToken);
        if (!db.ChangeTracker.HasChanges())
        {
            activity?.SetTag("printflow.outcome", "no-change");
            return Outcome.NoChange;
        }

        db.Inbox.Add(NewInboxRow(envelope, handler));
        await SaveDetectedAsync(db, cancellationToken);
        activity?.SetTag("printflow.outcome", "applied");
        return Outcome.Applied;
    }

    /// <summary>
    /// Saves a handler's changes right after <c>HasChanges</c> found them, which compared every tracked entity: the
    /// only change since is the inbox row, added explicitly, so SaveChanges need not compare them all again.
    /// </summary>
    private static async Task SaveDetectedAsync(TDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
        }
    }

    private InboxMessage NewInboxRow(MessageEnvelope envelope, HandlerRegistration handler) => new()
    {
        MessageId = envelope.MessageId,
        Consumer = ConsumerOf(handler),
        Name = envelope.Name,
        ProcessedAt = clock.GetUtcNow(),
    };

    private string ConsumerOf(HandlerRegistration handler) => $"{name}:{handler.HandlerType.Name}";

    private IDisposable? LogScope(MessageEnvelope envelope) => logger.BeginScope(new Dictionary<string, object>
    {
        ["OrderId"] = envelope.CorrelationId,
        ["MessageId"] = envelope.MessageId,
        ["MessageName"] = envelope.Name,
        ["Consumer"] = name,
    });

    /// <summary>Counts and logs a handled message; returns its outcome's label.</summary>
    private string Record(MessageEnvelope envelope, Outcome outcome, TimeSpan elapsed, int together)
    {
        var label = outcome switch
        {
            Outcome.Applied => "applied",
            Outcome.NoChange => "no-change",
            _ => "duplicate",
        };
        metrics?.Handled(name, envelope.Name, label, elapsed);
        if (together == 1)
        {
            logger.LogInformation("Handled {MessageName} for order {OrderId}: {Outcome} in {ElapsedMs:F1} ms",
                envelope.Name, envelope.CorrelationId, label, elapsed.TotalMilliseconds);
        }
        else
        {
            logger.LogInformation("Handled {MessageName} for order {OrderId}: {Outcome} in {ElapsedMs:F1} ms, one of {Together} in one transaction",
                envelope.Name, envelope.CorrelationId, label, elapsed.TotalMilliseconds, together);
        }

        return label;
    }

    public async Task DispatchAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        if (!handlers.TryGetValue(envelope.Name, out var handler))
        {
            return;
        }

        using var activity = MessagingTelemetry.StartMessageActivity("process", envelope);
        activity?.SetTag("messaging.consumer.group.name", name);
        using var scope = LogScope(envelope);

        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await ApplyOnceAsync(envelope, handler, cancellationToken);
                activity?.SetTag("printflow.outcome", Record(envelope, outcome, Stopwatch.GetElapsedTime(started), together: 1));
                return;
            }
            catch (DbUpdateException) when (attempt < ConcurrencyRetries)
            {
                // Another message changed the same aggregate first (a concurrency token), or inserted the same row
                // (a unique key, e.g. two orders of one new customer at once): re-read and apply again, after a
                // short random pause so that consumers racing for one hot row (a big partner's totals) spread out.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt * attempt)), cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                activity?.SetTag("error.type", exception.GetType().Name);
                metrics?.Handled(name, envelope.Name, "failed", Stopwatch.GetElapsedTime(started));
                logger.LogWarning(exception,
                    "Handling {MessageName} for order {OrderId} failed after {ElapsedMs:F1} ms; it will be retried",
                    envelope.Name, envelope.CorrelationId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                throw;
            }
        }
    }

    private enum Outcome
    {
        Applied,
        Duplicate,
        NoChange,
    }

    private async Task<Outcome> ApplyOnceAsync(MessageEnvelope envelope, HandlerRegistration handler, CancellationToken cancellationToken)
    {
        await using var serviceScope = scopes.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<TDbContext>();
        var consumer = ConsumerOf(handler);
        // No inbox look-up first: the inbox row's key does the guarding when the effect commits (a repeat of an
        // applied message fails on it and rolls back, below). Most deliveries are first ones, and a handler that
        // changes nothing (another channel's order) then costs no database round trip at all. A repeat runs the
        // handler again, which only stages changes; effects outside the database wait for the commit (AfterCommit).
        var message = MessageSerializer.Deserialize(envelope);
        var context = new MessageContext(envelope.MessageId, envelope.Name, envelope.CorrelationId, envelope.SentAt);
        try
        {
            await handler.Invoke(serviceScope.ServiceProvider, message, context, cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A repeat may find the state its first delivery left and object to it: then the message was applied.
            // If even that question fails (the database is gone), the handler's own exception is the one to report.
            bool applied;
            try
            {
                applied = await AlreadyAppliedAsync(envelope.MessageId, consumer, cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                applied = false;
            }

            if (applied)
            {
                return Outcome.Duplicate;
            }

            throw;
        }

        if (!db.ChangeTracker.HasChanges())
        {
            // The handler decided the message changes nothing here (another channel's order, a status already
            // passed): there is no effect to guard, so no inbox row and no transaction. A repeat decides the same.
            db.RunAfterCommit();
            return Outcome.NoChange;
        }

        db.Inbox.Add(NewInboxRow(envelope, handler));
        try
        {
            await SaveDetectedAsync(db, cancellationToken);
            return Outcome.Applied;
        }
        catch (DbUpdateException) when (db.ChangeTracker.Entries<InboxMessage>().Any())
        {
            // A concurrent delivery of the same message may have won the race: then its effect stands and ours
            // rolled back. Anything else is a real failure.
            if (await AlreadyAppliedAsync(envelope.MessageId, consumer, cancellationToken))
            {
                return Outcome.Duplicate;
            }

            throw;
        }
    }

    private async Task<bool> AlreadyAppliedAsync(Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        await using var serviceScope = scopes.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<TDbContext>();
        return await db.Inbox.AnyAsync(i => i.MessageId == messageId && i.Consumer == consumer, cancellationToken);
    }
}

/// <summary>A handler type and a typed call into it, built once at registration so dispatch needs no reflection.</summary>
public sealed record HandlerRegistration(
    Type HandlerType,
    Func<IServiceProvider, PrintFlow.Contracts.IIntegrationEvent, MessageContext, CancellationToken, Task> Invoke);
