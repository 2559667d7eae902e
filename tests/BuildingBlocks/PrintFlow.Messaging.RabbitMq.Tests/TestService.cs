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
    public Task HandleAsync(OrderCancellationRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        behaviour.Handled.AddOrUpdate(context.MessageId, 1, (_, n) => n + 1);
        if (behaviour.AlwaysFail || Interlocked.Decrement(ref behaviour.FailuresLeft) >= 0)
        {
            throw new InvalidOperationException("Simulated handler failure.");
        }

        db.Effects.Add(new Effect { OrderId = message.OrderId, MessageId = context.MessageId });
        return Task.CompletedTask;
    }
}

public sealed class Behaviour
{
    public int FailuresLeft;
    public volatile bool AlwaysFail;
    public ConcurrentDictionary<Guid, int> Handled { get; } = new();
}

/// <summary>Wraps the real endpoint to count dispatches and to run something after a message committed, before its ack.</summary>
public sealed class ObservedEndpoint(IMessageEndpoint inner, Func<MessageEnvelope, Task>? afterCommit = null) : IMessageEndpoint
{
    private int _afterCommitRuns;

    public ConcurrentDictionary<Guid, int> Dispatched { get; } = new();
    public string Name => inner.Name;
    public IReadOnlyCollection<string> Subscriptions => inner.Subscriptions;

    public async Task DispatchAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        Dispatched.AddOrUpdate(envelope.MessageId, 1, (_, n) => n + 1);
        await inner.DispatchAsync(envelope, cancellationToken);
        if (afterCommit is not null && Interlocked.Increment(ref _afterCommitRuns) == 1)
        {
            await afterCommit(envelope);
        }
    }
}
