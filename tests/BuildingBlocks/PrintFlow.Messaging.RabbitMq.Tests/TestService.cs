using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;

namespace PrintFlow.Messaging.RabbitMq.Tests;

/// <summary>A service's database for the tests: the outbox/inbox plus one table that records each effect.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Effect> Effects => Set<Effect>();
}

public sealed class Effect
{
    public long Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid MessageId { get; set; }
}

/// <summary>Records the message's effect; can be told to fail a number of times, or always.</summary>
public sealed class RecordingHandler(TestDbContext db, Behaviour behaviour) : IIntegrationEventHandler<OrderCancellationRequested>
{
    public async Task HandleAsync(OrderCancellationRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        behaviour.Handled.AddOrUpdate(context.MessageId, 1, (_, n) => n + 1);
        if (behaviour.Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (behaviour.AlwaysFail || Interlocked.Decrement(ref behaviour.FailuresLeft) >= 0)
        {
            throw new InvalidOperationException("Simulated handler failure.");
        }

        db.Effects.Add(new Effect { OrderId = message.OrderId, MessageId = context.MessageId });
    }
}

public sealed class Behaviour
{
    public int FailuresLeft;
    public volatile bool AlwaysFail;

    /// <summary>While set and not completed, every handler waits on it.</summary>
    public TaskCompletionSource? Gate { get; set; }
    public ConcurrentDictionary<Guid, int> Handled { get; } = new();
}

/// <summary>Wraps the real endpoint to count dispatches and to run something after a message committed, before its ack (alone or in a batch).</summary>
public sealed class ObservedEndpoint(IMessageEndpoint inner, Func<MessageEnvelope, Task>? afterCommit = null) : IMessageEndpoint
{
    private int _afterCommitRuns;

    public ConcurrentDictionary<Guid, int> Dispatched { get; } = new();

    /// <summary>The size of every group of messages the consumer handed over at once.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();
    public string Name => inner.Name;
    public IReadOnlyCollection<string> Subscriptions => inner.Subscriptions;

    public int MaxBatchSize => inner.MaxBatchSize;

    public async Task DispatchAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        Dispatched.AddOrUpdate(envelope.MessageId, 1, (_, n) => n + 1);
        await inner.DispatchAsync(envelope, cancellationToken);
        await AfterCommitAsync(envelope);
    }

    public async Task<Exception?[]> DispatchBatchAsync(IReadOnlyList<MessageEnvelope> envelopes, CancellationToken cancellationToken)
    {
        Batches.Enqueue(envelopes.Count);
        foreach (var envelope in envelopes)
        {
            Dispatched.AddOrUpdate(envelope.MessageId, 1, (_, n) => n + 1);
        }

        var failures = await inner.DispatchBatchAsync(envelopes, cancellationToken);
        if (Array.IndexOf(failures, null) is var done and >= 0)
        {
            await AfterCommitAsync(envelopes[done]);
        }

        return failures;
    }

    private async Task AfterCommitAsync(MessageEnvelope envelope)
    {
        if (afterCommit is not null && Interlocked.Increment(ref _afterCommitRuns) == 1)
        {
            await afterCommit(envelope);
        }
    }
}
