using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrintFlow.Messaging;

/// <summary>
/// Dispatches an envelope to the handler a service registered for it, exactly once in effect: the handler's
/// changes and the inbox row (message id + consumer) are saved together, and an inbox row that already exists
/// means the message was applied before (the save of a repeat fails on its key and nothing of it commits).
/// </summary>
public sealed class MessageEndpoint<TDbContext>(
    string name,
    IReadOnlyDictionary<string, HandlerRegistration> handlers,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<MessageEndpoint<TDbContext>> logger,
    MessagingMetrics? metrics = null) : IMessageEndpoint
    where TDbContext : ServiceDbContext
{
    private const int ConcurrencyRetries = 8;

    public string Name => name;
    public IReadOnlyCollection<string> Subscriptions => (IReadOnlyCollection<string>)handlers.Keys;

    public async Task DispatchAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        if (!handlers.TryGetValue(envelope.Name, out var handler))
        {
            return;
        }

        using var activity = MessagingTelemetry.StartMessageActivity("process", envelope);
        activity?.SetTag("messaging.consumer.group.name", name);
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["OrderId"] = envelope.CorrelationId,
            ["MessageId"] = envelope.MessageId,
            ["MessageName"] = envelope.Name,
            ["Consumer"] = name,
        });

        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await ApplyOnceAsync(envelope, handler, cancellationToken);
                var label = outcome switch
                {
                    Outcome.Applied => "applied",
                    Outcome.NoChange => "no-change",
                    _ => "duplicate",
                };
                metrics?.Handled(name, envelope.Name, label, Stopwatch.GetElapsedTime(started));
                activity?.SetTag("printflow.outcome", label);
                logger.LogInformation(
                    "Handled {MessageName} for order {OrderId}: {Outcome} in {ElapsedMs:F1} ms",
                    envelope.Name, envelope.CorrelationId, label, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
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
        var consumer = $"{name}:{handler.HandlerType.Name}";
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

        db.Inbox.Add(new InboxMessage
        {
            MessageId = envelope.MessageId,
            Consumer = consumer,
            Name = envelope.Name,
            ProcessedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
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
