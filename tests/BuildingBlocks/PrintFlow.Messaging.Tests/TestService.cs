using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Contracts;

namespace PrintFlow.Messaging.Tests;

/// <summary>A service's database for the tests: the outbox/inbox plus one table that records each effect.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Effect> Effects => Set<Effect>();
    public DbSet<FirstSeen> FirstSeen => Set<FirstSeen>();
    public DbSet<Tally> Tallies => Set<Tally>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<FirstSeen>().HasIndex(f => f.OrderId).IsUnique();
    }
}

/// <summary>One row every message counts on, like a big customer's totals in a CRM.</summary>
public sealed class Tally
{
    public int Id { get; set; }
    public int Count { get; set; }
}

/// <summary>One row per order however many messages mention it, like a CRM's customer row.</summary>
public sealed class FirstSeen
{
    public long Id { get; set; }
    public Guid OrderId { get; set; }
}

public sealed class Effect
{
    public long Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid MessageId { get; set; }
}

/// <summary>Records the message's effect; can be told to block or fail, to simulate a crash or a bug.</summary>
public sealed class RecordingHandler(TestDbContext db, Behaviour behaviour) : IIntegrationEventHandler<OrderCancellationRequested>
{
    public async Task HandleAsync(OrderCancellationRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        behaviour.Entered.TrySetResult();
        var seen = behaviour.RecordFirstSeen && await db.FirstSeen.AnyAsync(f => f.OrderId == message.OrderId, cancellationToken);
        var now = behaviour.Concurrent.AddOrUpdate(context.MessageId, 1, (_, n) => n + 1);
        try
        {
            behaviour.MaxConcurrentPerMessage = Math.Max(behaviour.MaxConcurrentPerMessage, now);
            behaviour.Deliveries.AddOrUpdate(context.MessageId, 1, (_, n) => n + 1);
            if (behaviour.Block is { } block)
            {
                await block.Task.WaitAsync(cancellationToken);
            }

            if (behaviour.FailuresLeft > 0)
            {
                behaviour.FailuresLeft--;
                throw new InvalidOperationException("Simulated handler failure.");
            }

            await Task.Yield();
            if (behaviour.RecordFirstSeen && !seen)
            {
                db.FirstSeen.Add(new FirstSeen { OrderId = message.OrderId });
            }

            if (behaviour.CountOnTally)
            {
                var tally = await db.Tallies.FindAsync([1], cancellationToken);
                if (tally is null)
                {
                    tally = new Tally { Id = 1 };
                    db.Tallies.Add(tally);
                }

                tally.Count++;
            }

            if (!behaviour.NoEffect)
            {
                db.Effects.Add(new Effect { OrderId = message.OrderId, MessageId = context.MessageId });
            }
        }
        finally
        {
            behaviour.Concurrent.AddOrUpdate(context.MessageId, 0, (_, n) => n - 1);
        }
    }
}

public sealed class Behaviour
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource? Block { get; set; }
    public int FailuresLeft { get; set; }
    public bool RecordFirstSeen { get; set; }
    public bool NoEffect { get; set; }
    public bool CountOnTally { get; set; }
    public ConcurrentDictionary<Guid, int> Concurrent { get; } = new();
    public ConcurrentDictionary<Guid, int> Deliveries { get; } = new();
    public int MaxConcurrentPerMessage { get; set; }
}

/// <summary>
/// A clock the test moves by hand (<see cref="FakeTimeProvider.Advance"/>), to let leases and back-offs expire without
/// waiting. Its timers run in real time: the relays' polling and lease renewal are background loops no test steps.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}

/// <summary>One "process" of a service: its own container over a shared SQLite file, as after a restart.</summary>
public sealed class TestProcess : IAsyncDisposable
{
    private TestProcess(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }
    public Behaviour Behaviour => Services.GetRequiredService<Behaviour>();
    public OutboxRelay<TestDbContext> Relay => Services.GetRequiredService<OutboxRelay<TestDbContext>>();
    public MessageRetention<TestDbContext> Retention => Services.GetRequiredService<MessageRetention<TestDbContext>>();
    public IMessageEndpoint Endpoint => Services.GetServices<IMessageEndpoint>().Single();

    public static Task<TestProcess> StartAsync(
        string databaseFile, TimeProvider clock, Behaviour? behaviour = null, Func<IServiceProvider, IMessageTransport>? transport = null,
        TimeSpan? deliveryTimeout = null, Action<ILoggingBuilder>? logging = null) =>
        StartAsync(o => o.UseSqlite($"Data Source={databaseFile};Default Timeout=30"), clock, behaviour, transport, deliveryTimeout, logging: logging);

    /// <summary>The same over any database, for example a real PostgreSQL one shared by several "processes".</summary>
    public static async Task<TestProcess> StartAsync(
        Action<DbContextOptionsBuilder> useDatabase, TimeProvider clock, Behaviour? behaviour = null,
        Func<IServiceProvider, IMessageTransport>? transport = null, TimeSpan? deliveryTimeout = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<ILoggingBuilder>? logging = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(builder => logging?.Invoke(builder));
        var configuration = new Dictionary<string, string?>
        {
            ["Messaging:MaxAttempts"] = "3",
            ["Messaging:RetryBaseDelay"] = "00:00:01",
            ["Messaging:LeaseDuration"] = "00:00:30",
            ["Messaging:BatchSize"] = "50",
            ["Messaging:DeliveryTimeout"] = (deliveryTimeout ?? TimeSpan.FromMinutes(1)).ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
        services.AddSingleton(clock);
        services.AddSingleton(behaviour ?? new Behaviour());
        services.AddMessagingEndpoint<TestDbContext>("test", e => e.Handle<OrderCancellationRequested, RecordingHandler>());
        if (transport is not null)
        {
            services.AddSingleton(transport);
        }

        // Pooled, as the services register theirs (ServiceDatabase).
        services.AddDbContextPool<TestDbContext>((sp, o) =>
        {
            useDatabase(o);
            o.AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor<TestDbContext>>());
        });
        var provider = services.BuildServiceProvider(validateScopes: true);
        _ = provider.GetRequiredService<IOptions<MessagingOptions>>().Value;
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await db.Database.EnsureCreatedAsync();
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
        return new TestProcess(provider);
    }

    public async Task<List<Guid>> PublishAsync(int count, Guid? orderId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        var clock = Services.GetRequiredService<TimeProvider>();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = orderId ?? Guid.CreateVersion7();
            ids.Add(id);
            db.Publish(new OrderCancellationRequested(id, "test", $"message {i}", clock.GetUtcNow()), clock);
        }

        await db.SaveChangesAsync();
        return ids;
    }

    public async Task<T> QueryAsync<T>(Func<TestDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>Counts committed transactions (explicit ones and those SaveChanges opens by itself).</summary>
public sealed class CommitCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor
{
    private int _count;
    public int Count => Volatile.Read(ref _count);

    public override Task TransactionCommittedAsync(
        System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEndEventData eventData,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return Task.CompletedTask;
    }
}

/// <summary>A message for the test endpoint, as a broker or the relay would hand it over.</summary>
public static class TestEnvelopes
{
    public static MessageEnvelope Cancellation(Guid orderId, TimeProvider clock) => new(
        Guid.CreateVersion7(),
        MessageTypes.NameOf<OrderCancellationRequested>(),
        orderId,
        MessageSerializer.Serialize(new OrderCancellationRequested(orderId, "test", "why", clock.GetUtcNow())),
        clock.GetUtcNow(),
        null);
}
