using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Messaging.Tests;

public sealed class OutboxRelayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("printflow-messaging-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
    private string Database => Path.Combine(_directory, "service.db");
    private Action<DbContextOptionsBuilder> Sqlite => o => o.UseSqlite($"Data Source={Database};Default Timeout=30");

    [Fact]
    public async Task Relay_WhenProcessDiesBeforeConsumerCommits_DeliversAfterRestartExactlyOnce()
    {
        var blocked = new Behaviour { Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        Guid orderId;
        await using (var first = await TestProcess.StartAsync(Database, _clock, blocked))
        {
            orderId = (await first.PublishAsync(1))[0];
            using var crash = new CancellationTokenSource();
            var relaying = first.Relay.RelayOnceAsync(crash.Token);
            await blocked.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await crash.CancelAsync(); // the process dies while the consumer is mid-way
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => relaying);
            Assert.Equal(0, await first.QueryAsync(db => db.Effects.CountAsync()));
        }

        _clock.Advance(TimeSpan.FromMinutes(1)); // the dead relay's lease runs out
        await using var second = await TestProcess.StartAsync(Database, _clock);
        Assert.Equal(1, await second.Relay.RelayOnceAsync(CancellationToken.None));

        Assert.Equal([orderId], await second.QueryAsync(db => db.Effects.Select(e => e.OrderId).ToListAsync()));
        Assert.Equal(0, await second.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)));
    }

    [Fact]
    public async Task Relay_WhenProcessDiesAfterConsumerCommittedButBeforeMarkingDispatched_RedeliveryHasNoSecondEffect()
    {
        using var crash = new CancellationTokenSource();
        await using (var first = await TestProcess.StartAsync(Database, _clock, transport: sp =>
            new CrashAfterPublishTransport(new InProcessTransport(sp.GetServices<IMessageEndpoint>(), NullLogger<InProcessTransport>.Instance), crash)))
        {
            await first.PublishAsync(1);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Relay.RelayOnceAsync(crash.Token));
            Assert.Equal(1, await first.QueryAsync(db => db.Effects.CountAsync()));
            Assert.Equal(1, await first.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)));
        }

        _clock.Advance(TimeSpan.FromMinutes(1));
        await using var second = await TestProcess.StartAsync(Database, _clock);
        Assert.Equal(1, await second.Relay.RelayOnceAsync(CancellationToken.None));

        Assert.Equal(1, await second.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(1, await second.QueryAsync(db => db.Inbox.CountAsync()));
        Assert.Equal(0, await second.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)));
    }

    [Fact]
    public async Task Relay_WhenTwoRelaysRunConcurrently_DeliversEveryRowOnceAndNeverTwiceAtOnce()
    {
        var shared = new Behaviour();
        await using var first = await TestProcess.StartAsync(Database, _clock, shared);
        await using var second = await TestProcess.StartAsync(Database, _clock, shared);
        var published = await first.PublishAsync(200);

        async Task DrainAsync(TestProcess process)
        {
            while (await process.Relay.RelayOnceAsync(CancellationToken.None) > 0)
            {
            }
        }

        await Task.WhenAll(DrainAsync(first), DrainAsync(second), DrainAsync(first), DrainAsync(second));

        Assert.Equal(published.Count, shared.Deliveries.Count);
        Assert.All(shared.Deliveries.Values, deliveries => Assert.Equal(1, deliveries));
        Assert.Equal(1, shared.MaxConcurrentPerMessage);
        Assert.Equal(published.Count, await first.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(0, await first.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)));
    }

    [Fact]
    public async Task Relay_WhenAKilledRelayLeftRowsLeased_WaitsForTheLeaseThenDelivers()
    {
        await using var process = await TestProcess.StartAsync(Database, _clock);
        await process.PublishAsync(3);
        var until = _clock.GetUtcNow() + TimeSpan.FromSeconds(30);
        await process.QueryAsync(db => db.Outbox.ExecuteUpdateAsync(s => s // what a kill -9 mid-delivery leaves behind
            .SetProperty(m => m.LockedBy, Guid.NewGuid()).SetProperty(m => m.LockedUntil, until)));

        Assert.Equal(0, await process.Relay.RelayOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(3, await process.Relay.RelayOnceAsync(CancellationToken.None));

        Assert.Equal(3, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(0, await process.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null || m.LockedBy != null)));
    }

    [Fact]
    public async Task Relay_WhenADeliveryOutlastsItsLease_RenewsItSoNoOtherRelayTakesTheRow()
    {
        // A 3 s lease is renewed every second of real time (the renewal's timer), each time to the test clock's now + 3 s.
        var settings = new Dictionary<string, string?> { ["Messaging:LeaseDuration"] = "00:00:03" };
        var blocked = new Behaviour { Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var first = await TestProcess.StartAsync(Sqlite, _clock, blocked, settings: settings);
        await using var second = await TestProcess.StartAsync(Sqlite, _clock, settings: settings);
        await first.PublishAsync(1);
        var leased = _clock.GetUtcNow() + TimeSpan.FromSeconds(3);
        var relaying = first.Relay.RelayOnceAsync(CancellationToken.None);
        await blocked.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromSeconds(2));
        await Eventually.UntilAsync(
            async () => await first.QueryAsync(db => db.Outbox.Select(m => m.LockedUntil).SingleAsync()) > leased,
            "the lease is renewed while the delivery goes on");
        _clock.Advance(TimeSpan.FromSeconds(2)); // past the first lease, within the renewed one

        Assert.Equal(0, await second.Relay.RelayOnceAsync(CancellationToken.None));
        blocked.Block.SetResult();
        Assert.Equal(1, await relaying);
        Assert.Equal(1, await first.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(0, await first.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null || m.LockedBy != null)));
    }

    [Fact]
    public async Task Relay_WhenConsumerFails_BacksOffRetriesAndDeadLettersAfterMaxAttempts()
    {
        var failing = new Behaviour { FailuresLeft = int.MaxValue };
        await using var process = await TestProcess.StartAsync(Database, _clock, failing);
        await process.PublishAsync(1);

        Assert.Equal(1, await process.Relay.RelayOnceAsync(CancellationToken.None));
        Assert.Equal(0, await process.Relay.RelayOnceAsync(CancellationToken.None)); // backing off: not due yet
        var row = await process.QueryAsync(db => db.Outbox.SingleAsync());
        Assert.Equal(1, row.Attempts);
        Assert.Contains("Simulated handler failure", row.LastError);
        Assert.True(row.NextAttemptAt > _clock.GetUtcNow());

        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await process.Relay.RelayOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, await process.Relay.RelayOnceAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await process.Relay.RelayOnceAsync(CancellationToken.None)); // dead-lettered: no more attempts

        row = await process.QueryAsync(db => db.Outbox.SingleAsync());
        Assert.Equal(3, row.Attempts);
        Assert.NotNull(row.DeadLetteredAt);
        Assert.Null(row.DispatchedAt);
        Assert.Equal(0, await process.QueryAsync(db => db.Effects.CountAsync()));
    }

    [Fact]
    public async Task Relay_WhenConsumerHangs_GivesUpAfterTheDeliveryTimeoutAndRetriesLater()
    {
        var hanging = new Behaviour { Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var process = await TestProcess.StartAsync(Database, _clock, hanging, deliveryTimeout: TimeSpan.FromMilliseconds(500));
        await process.PublishAsync(1);

        Assert.Equal(1, await process.Relay.RelayOnceAsync(CancellationToken.None)); // returns: the hang did not stall it

        var row = await process.QueryAsync(db => db.Outbox.SingleAsync());
        Assert.Equal(1, row.Attempts);
        Assert.Contains("TimeoutException", row.LastError);
        Assert.Null(row.DispatchedAt);
        Assert.Null(row.LockedBy);
        Assert.Equal(0, await process.QueryAsync(db => db.Effects.CountAsync()));
    }

    [Fact]
    public async Task Relay_WhenConsumerFailsOnceThenRecovers_AppliesTheMessageOnce()
    {
        var flaky = new Behaviour { FailuresLeft = 1 };
        await using var process = await TestProcess.StartAsync(Database, _clock, flaky);
        await process.PublishAsync(1);

        await process.Relay.RelayOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await process.Relay.RelayOnceAsync(CancellationToken.None);

        Assert.Equal(1, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.NotNull((await process.QueryAsync(db => db.Outbox.SingleAsync())).DispatchedAt);
    }

    [Fact]
    public async Task Publish_WhenSaveChangesFails_LeavesNoOutboxRow()
    {
        await using var process = await TestProcess.StartAsync(Database, _clock);
        await using (var scope = process.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Effects.Add(new Effect { Id = 1, OrderId = Guid.NewGuid() });
            await db.SaveChangesAsync();
        }

        await using (var scope = process.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.Effects.Add(new Effect { Id = 1, OrderId = Guid.NewGuid() }); // duplicate key: the change fails
            db.Publish(new OrderCancellationRequested(Guid.NewGuid(), "test", "never", _clock.GetUtcNow()), _clock);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        Assert.Equal(0, await process.QueryAsync(db => db.Outbox.CountAsync()));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The consumers commit, then the process dies before the relay records the row as dispatched.</summary>
    private sealed class CrashAfterPublishTransport(IMessageTransport inner, CancellationTokenSource crash) : IMessageTransport
    {
        public async Task PublishAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
        {
            await inner.PublishAsync(envelope, cancellationToken);
            await crash.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
