using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using PrintFlow.Contracts;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Messaging.Tests;

/// <summary>The retention job on both providers: what it deletes, what it must keep, batch by batch.</summary>
public sealed class MessageRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("printflow-retention-").FullName;
    private readonly ManualClock _clock = new(Start);

    /// <summary>Batches of 2, so every deletion below takes more than one statement.</summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Messaging:OutboxRetention"] = "1.00:00:00",
        ["Messaging:InboxRetention"] = "7.00:00:00",
        ["Messaging:RetentionBatchSize"] = "2",
    };

    [Trait("Category", "Infrastructure")]
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Prune_DeletesDispatchedOutboxRowsAndInboxRowsPastTheirRetentionAndKeepsEverythingElse(string provider)
    {
        await using var postgres = provider == "postgres" ? await PostgresTestDatabase.CreateAsync("retention") : null;
        await using var process = await TestProcess.StartAsync(
            postgres is null
                ? o => o.UseSqlite($"Data Source={Path.Combine(_directory, "service.db")}")
                : o => o.UseNpgsql(postgres.ConnectionString),
            _clock, settings: Settings);

        // Day 0: three messages published, delivered and applied; one dead-lettered and one backing off, never sent.
        await process.PublishAsync(3);
        Assert.Equal(3, await process.Relay.RelayOnceAsync(CancellationToken.None));
        var neverSent = await process.QueryAsync(async db =>
        {
            db.Outbox.AddRange(
                Unsent(_clock.GetUtcNow(), deadLettered: true),
                Unsent(_clock.GetUtcNow(), deadLettered: false));
            await db.SaveChangesAsync();
            return await db.Outbox.Where(m => m.DispatchedAt == null).Select(m => m.Id).OrderBy(id => id).ToListAsync();
        });

        // Day 2: two more, and a message sent a day before the first ones but applied only now.
        _clock.Advance(TimeSpan.FromDays(2));
        await process.PublishAsync(2);
        Assert.Equal(2, await process.Relay.RelayOnceAsync(CancellationToken.None));
        var late = Envelope(Start - TimeSpan.FromDays(1));
        await process.Endpoint.DispatchAsync(late, CancellationToken.None);
        var keptInbox = await process.QueryAsync(db => db.Inbox.Where(i => i.ProcessedAt == _clock.GetUtcNow()).Select(i => i.MessageId).ToListAsync());
        Assert.Equal(3, keptInbox.Count);

        Assert.Equal((3L, 0L), await process.Retention.PruneAsync(CancellationToken.None)); // day 0's dispatched rows
        Assert.Equal(4, await process.QueryAsync(db => db.Outbox.CountAsync()));
        Assert.Equal(6, await process.QueryAsync(db => db.Inbox.CountAsync()));

        // Day 8: day 2's dispatched rows are past a day, day 0's inbox rows past seven days; the late one is kept.
        _clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal((2L, 3L), await process.Retention.PruneAsync(CancellationToken.None));
        Assert.Equal(neverSent, await process.QueryAsync(db => db.Outbox.Select(m => m.Id).OrderBy(id => id).ToListAsync()));
        Assert.Equal(keptInbox.Order(), (await process.QueryAsync(db => db.Inbox.Select(i => i.MessageId).ToListAsync())).Order());
        Assert.Equal(6, await process.QueryAsync(db => db.Effects.CountAsync())); // the services' own rows are not touched

        Assert.Equal((0L, 0L), await process.Retention.PruneAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Retention_WhenRunningAsAHostedService_PrunesByItselfEveryInterval()
    {
        await using var process = await StartWithEightDayOldMessagesAsync();

        IHostedService retention = process.Retention;
        await retention.StartAsync(CancellationToken.None);
        try
        {
            await UntilAsync(async () => await process.QueryAsync(db => db.Outbox.CountAsync()) + await process.QueryAsync(db => db.Inbox.CountAsync()) == 0,
                "every row pruned");
        }
        finally
        {
            await retention.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Retention_WhenARunFails_CountsTheFailureAndTriesAgainNextInterval()
    {
        await using var process = await StartWithEightDayOldMessagesAsync();
        await process.QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE inbox_messages RENAME TO inbox_away"));

        var failures = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MessagingTelemetry.MeterName && instrument.Name == "printflow.messages.prune_failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref failures, (int)value));
        listener.Start();

        IHostedService retention = process.Retention;
        await retention.StartAsync(CancellationToken.None);
        try
        {
            await UntilAsync(() => Task.FromResult(Volatile.Read(ref failures) >= 2), "two failed runs counted");
            await process.QueryAsync(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE inbox_away RENAME TO inbox_messages"));
            await UntilAsync(async () => await process.QueryAsync(db => db.Inbox.CountAsync()) == 0, "the inbox pruned once it is back");
        }
        finally
        {
            await retention.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A process whose retention job runs every second, with three messages sent and applied eight days ago.</summary>
    private async Task<TestProcess> StartWithEightDayOldMessagesAsync()
    {
        var process = await TestProcess.StartAsync(
            o => o.UseSqlite($"Data Source={Path.Combine(_directory, "service.db")}"), _clock,
            settings: new Dictionary<string, string?>(Settings) { ["Messaging:RetentionInterval"] = "00:00:01" });
        await process.PublishAsync(3);
        await process.Relay.RelayOnceAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromDays(8));
        return process;
    }

    /// <summary>Within 20 s: the job runs every second.</summary>
    private static Task UntilAsync(Func<Task<bool>> condition, string what) =>
        Eventually.UntilAsync(condition, what, TimeSpan.FromSeconds(20));

    [Fact]
    public void FirstVersion7IdAt_SortsBelowEveryIdOfItsMillisecondAndAboveEveryEarlierOne()
    {
        static string Bytes(Guid id) => Convert.ToHexString(id.ToByteArray(bigEndian: true)); // PostgreSQL's uuid order
        var at = Start + TimeSpan.FromMilliseconds(123);
        var first = Bytes(MessageRetention<TestDbContext>.FirstVersion7IdAt(at));
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(string.CompareOrdinal(Bytes(Guid.CreateVersion7(at)), first) >= 0);
            Assert.True(string.CompareOrdinal(Bytes(Guid.CreateVersion7(at - TimeSpan.FromMilliseconds(1))), first) < 0);
        }
    }

    private static OutboxMessage Unsent(DateTimeOffset now, bool deadLettered) => new()
    {
        MessageId = Guid.CreateVersion7(now),
        Name = MessageTypes.NameOf<OrderCancellationRequested>(),
        CorrelationId = Guid.CreateVersion7(now),
        Payload = "{}",
        CreatedAt = now,
        NextAttemptAt = now + TimeSpan.FromDays(365),
        DeadLetteredAt = deadLettered ? now : null,
        Attempts = deadLettered ? 12 : 3,
    };

    private static MessageEnvelope Envelope(DateTimeOffset sentAt)
    {
        var orderId = Guid.CreateVersion7(sentAt);
        return new MessageEnvelope(
            Guid.CreateVersion7(sentAt),
            MessageTypes.NameOf<OrderCancellationRequested>(),
            orderId,
            MessageSerializer.Serialize(new OrderCancellationRequested(orderId, "test", "why", sentAt)),
            sentAt,
            null);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
