using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PrintFlow.Messaging;

/// <summary>Notifies the relay when a SaveChanges (or the transaction around it) that added outbox rows commits.</summary>
public sealed class OutboxCommitInterceptor<TDbContext>(OutboxSignal<TDbContext> signal)
    : ISaveChangesInterceptor, IDbTransactionInterceptor
    where TDbContext : ServiceDbContext
{
    private static readonly object PendingKey = new();

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        MarkIfOutboxAdded(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        MarkIfOutboxAdded(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SignalIfCommitted(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalIfCommitted(eventData.Context);
        return result;
    }

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is { } context && Pending.Remove(context))
        {
            signal.Notify();
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Pending = new();

    private static void MarkIfOutboxAdded(DbContext? context)
    {
        if (context is not null && OutboxAdded(context.ChangeTracker))
        {
            Pending.AddOrUpdate(context, PendingKey);
        }
    }

    /// <summary>
    /// Outbox rows are only ever added (<see cref="ServiceDbContext.Publish"/>), which tracks them as Added at once,
    /// so finding them needs no change detection: that would compare every tracked entity, and SaveChanges does so
    /// anyway right after this.
    /// </summary>
    private static bool OutboxAdded(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker) =>
        tracker.WithoutDetectingChanges(() => tracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added));

    private void SignalIfCommitted(DbContext? context)
    {
        // Inside an explicit transaction the rows are not visible yet: wait for TransactionCommitted.
        if (context is not null && context.Database.CurrentTransaction is null && Pending.Remove(context))
        {
            signal.Notify();
        }
    }
}
