using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Messaging.Tests;

/// <summary>Relays of several processes on one real PostgreSQL outbox: the <c>FOR UPDATE SKIP LOCKED</c> claim.</summary>
[Trait("Category", "Infrastructure")]
public sealed class PostgresOutboxRelayTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Relay_WhenFourRelaysShareAPostgresOutbox_DeliversEveryRowOnceInSequencePerOrderAndNeverTwoOfAnOrderAtOnce()
    {
        const int orders = 25, messagesPerOrder = 20;
        await using var database = await PostgresTestDatabase.CreateAsync("relay");
        var shared = new Behaviour();
        var watch = new OrderWatch();
        var processes = new List<TestProcess>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                processes.Add(await TestProcess.StartAsync(o => o.UseNpgsql(database.ConnectionString), _clock, shared, sp =>
                    new WatchingTransport(new InProcessTransport(sp.GetServices<IMessageEndpoint>(), NullLogger<InProcessTransport>.Instance), watch)));
            }

            var orderIds = Enumerable.Range(0, orders).Select(_ => Guid.CreateVersion7()).ToList();
            await processes[0].QueryAsync(async db =>
            {
                for (var n = 0; n < messagesPerOrder; n++)
                {
                    foreach (var orderId in orderIds) // interleaved, so every batch holds messages of many orders
                    {
                        db.Publish(new OrderCancellationRequested(orderId, "test", $"message {n}", _clock.GetUtcNow()), _clock);
                    }
                }

                return await db.SaveChangesAsync();
            });

            for (var round = 0; round < 20 && await PendingAsync(processes[0]) > 0; round++)
            {
                await Task.WhenAll(processes.SelectMany(p => new[] { DrainAsync(p), DrainAsync(p) }));
            }

            Assert.Equal(0, await PendingAsync(processes[0]));
            Assert.Equal(orders * messagesPerOrder, shared.Deliveries.Count);
            Assert.All(shared.Deliveries.Values, deliveries => Assert.Equal(1, deliveries));
            Assert.Equal(orders * messagesPerOrder, await processes[0].QueryAsync(db => db.Effects.CountAsync()));
            Assert.Equal(1, watch.MostAtOnceForOneOrder);
            var published = await processes[0].QueryAsync(db => db.Outbox.AsNoTracking().OrderBy(m => m.Id)
                .Select(m => new { m.CorrelationId, m.MessageId }).ToListAsync());
            foreach (var orderId in orderIds)
            {
                Assert.Equal(published.Where(m => m.CorrelationId == orderId).Select(m => m.MessageId), watch.Sequence(orderId));
            }
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Relay_WhenAnEarlierMessageOfTheOrderIsBackingOff_HoldsBackTheLaterOnes()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("relay_order");
        var failing = new Behaviour { FailuresLeft = 1 };
        await using var process = await TestProcess.StartAsync(o => o.UseNpgsql(database.ConnectionString), _clock, failing);
        var orderId = Guid.CreateVersion7();
        await process.PublishAsync(3, orderId);

        await process.Relay.RelayOnceAsync(CancellationToken.None); // the first fails and backs off
        Assert.Equal(0, await process.Relay.RelayOnceAsync(CancellationToken.None));
        Assert.Equal(0, await process.QueryAsync(db => db.Effects.CountAsync()));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, await process.Relay.RelayOnceAsync(CancellationToken.None));
        var effects = await process.QueryAsync(db => db.Effects.OrderBy(e => e.Id).Select(e => e.MessageId).ToListAsync());
        Assert.Equal(await process.QueryAsync(db => db.Outbox.OrderBy(m => m.Id).Select(m => m.MessageId).ToListAsync()), effects);
    }

    private static Task<int> PendingAsync(TestProcess process) =>
        process.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null));

    private static async Task DrainAsync(TestProcess process)
    {
        while (await process.Relay.RelayOnceAsync(CancellationToken.None) > 0)
        {
        }
    }

    /// <summary>Which messages of each order are being delivered right now, and the order they started in.</summary>
    private sealed class OrderWatch
    {
        private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
        private readonly ConcurrentDictionary<Guid, ConcurrentQueue<Guid>> _sequences = new();
        private int _most;

        public int MostAtOnceForOneOrder => Volatile.Read(ref _most);

        public IEnumerable<Guid> Sequence(Guid orderId) => _sequences.TryGetValue(orderId, out var sequence) ? sequence : [];

        public IDisposable Enter(MessageEnvelope envelope)
        {
            var now = _inFlight.AddOrUpdate(envelope.CorrelationId, 1, (_, n) => n + 1);
            InterlockedMax(ref _most, now);
            _sequences.GetOrAdd(envelope.CorrelationId, _ => new ConcurrentQueue<Guid>()).Enqueue(envelope.MessageId);
            return new Exit(() => _inFlight.AddOrUpdate(envelope.CorrelationId, 0, (_, n) => n - 1));
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }

        private sealed class Exit(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }

    private sealed class WatchingTransport(IMessageTransport inner, OrderWatch watch) : IMessageTransport
    {
        public async Task PublishAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
        {
            using var _ = watch.Enter(envelope);
            await Task.Yield(); // give a racing relay the chance to overlap, if it could
            await inner.PublishAsync(envelope, cancellationToken);
        }
    }
}
