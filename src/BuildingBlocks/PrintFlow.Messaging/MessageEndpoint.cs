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

    public string Name => name;
    public IReadOnlyCollection<string> Subscriptions => (IReadOnlyCollection<string>)handlers.Keys;
    // Read when a broker consumer first asks (the options need configuration, which an endpoint alone does not).
    private readonly Lazy<int> _maxBatchSize = new(maxBatchSize ?? (() => 1));

    public int MaxBatchSize => _maxBatchSize.Value;

    /// <summary>
    /// Applies the envelopes one after another in one transaction, through one scope and DbContext (which first loads
    /// the orders they are about in one query: <see cref="ServiceDbContext.PreloadOrdersAsync"/>), and writes what
    /// they changed in one SaveChanges just before the commit; a message about the same order as the one before it
    /// first writes what that one changed, so it reads it back as if alone. If anything of that fails, nothing of it
    /// commits: a database refusal (a concurrency token, a key, a lock held too long by another instance) is tried
    /// again as a batch, up to three attempts in all; after that, or when a handler objects, every envelope is
    /// dispatched alone, with the usual retries and duplicate detection. Effects are therefore exactly those of
    /// one-by-one dispatch; a busy consumer saves a commit, a round trip, a scope and a DbContext per message.
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (db.Database.IsPostgres())
            {
                // A row another instance's batch holds is waited for briefly, not up to the deadlock detector's
                // second: past this the batch is refused, then tried again or split (above).
                await db.Database.ExecuteSqlRawAsync("SET LOCAL lock_timeout = '200ms'", cancellationToken);
            }

            db.Database.AutoSavepointsEnabled = false;
            db.DeferToCommit();
            await db.PreloadOrdersAsync([.. envelopes.Select(e => e.CorrelationId).Distinct()], cancellationToken);
            // One order's messages keep their order (and SaveChanges writes rows sorted by table and key, so batches
            // take shared rows in the same order).
            Guid? previous = null;
            foreach (var envelope in envelopes.OrderBy(e => e.CorrelationId))
            {
                if (envelope.CorrelationId == previous)
                {
                    // The same order again: its handler may look the order's rows up with SQL, which sees only what
                    // was written. Handlers change their own order's rows (and shared rows through look-ups by key or
                    // the commit hooks), so messages about different orders need no write in between.
                    await db.SaveChangesAsync(cancellationToken);
                }

                previous = envelope.CorrelationId;
                await StageAsync(envelope, scope.ServiceProvider, db, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
            await db.RunBeforeCommitAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        try
        {
            db.RunAfterCommit();
        }
        catch (Exception exception)
        {
            // The effects have committed; what follows a commit only tells others (open pages, metrics).
            logger.LogWarning(exception, "An action after applying {Count} messages together failed", envelopes.Length);
        }

        foreach (var envelope in envelopes)
        {
            using (LogScope(envelope))
            {
                Record(envelope, Outcome.Applied, elapsed, envelopes.Length);
            }
        }
    }

    /// <summary>
    /// One envelope of a batch: its handler runs and its inbox row is added, unsaved. Every member gets its inbox row,
    /// even one whose handler changed nothing: with several messages' changes in one context, "nothing changed" cannot
    /// be told apart from "changed a row an earlier message had changed", and an effect must never commit without the
    /// row that stops its message being applied twice.
    /// </summary>
    private async Task StageAsync(MessageEnvelope envelope, IServiceProvider services, TDbContext db, CancellationToken cancellationToken)
    {
        var handler = handlers[envelope.Name];
        using var activity = MessagingTelemetry.StartMessageActivity("process", envelope);
        activity?.SetTag("messaging.consumer.group.name", name);
        var message = MessageSerializer.Deserialize(envelope);
        var context = new MessageContext(envelope.MessageId, envelope.Name, envelope.CorrelationId, envelope.SentAt);
        await handler.Invoke(services, message, context, cancellationToken);
        db.Inbox.Add(NewInboxRow(envelope, handler));
        db.MessageHandled(context);
        activity?.SetTag("printflow.outcome", "applied");
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

    // A scope with a message of its own: a dictionary's would read "System.Collections.Generic.Dictionary`2[…]" in the
    // JSON logs' "Scopes".
    private static readonly Func<ILogger, string, Guid, Guid, string, IDisposable?> MessageScope =
        LoggerMessage.DefineScope<string, Guid, Guid, string>("{MessageName} {MessageId} for order {OrderId} in {Consumer}");

    private IDisposable? LogScope(MessageEnvelope envelope) => MessageScope(logger, envelope.Name, envelope.MessageId, envelope.CorrelationId, name);

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
                // Counted and logged whether or not the message is traced: "activity?.SetTag(…, Record(…))" skipped both
                // when no trace listener made an activity.
                var label = Record(envelope, outcome, Stopwatch.GetElapsedTime(started), together: 1);
                activity?.SetTag("printflow.outcome", label);
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

        db.MessageHandled(context);
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
