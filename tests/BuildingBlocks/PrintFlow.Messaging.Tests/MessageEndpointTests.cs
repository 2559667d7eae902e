using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Messaging.Tests;

public sealed class MessageEndpointTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("printflow-endpoint-").FullName;
    private readonly ManualClock _clock = new(DateTimeOffset.UnixEpoch.AddYears(56));

    private MessageEnvelope Envelope(Guid orderId) => TestEnvelopes.Cancellation(orderId, _clock);

    [Fact]
    public async Task Dispatch_WhenSameMessageArrivesTwice_AppliesItOnce()
    {
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock);
        var envelope = Envelope(Guid.NewGuid());

        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);
        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);

        Assert.Equal(1, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(1, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task Dispatch_WhenNoTraceListens_StillLogsTheHandledLineAsJsonWithTheMessageInScope()
    {
        using var log = new JsonLogLines();
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, logging: b => b.AddProvider(log));
        var envelope = Envelope(Guid.NewGuid());

        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);

        var line = Assert.Single(log.Lines, l => l.GetProperty("Category").GetString() == "PrintFlow.Messaging.MessageEndpoint");
        Assert.StartsWith($"Handled {envelope.Name} for order {envelope.CorrelationId}: applied in ", line.GetProperty("Message").GetString());
        var scope = Assert.Single(line.GetProperty("Scopes").EnumerateArray());
        Assert.Equal($"{envelope.Name} {envelope.MessageId} for order {envelope.CorrelationId} in test", scope.GetProperty("Message").GetString());
        Assert.Equal(
            (envelope.CorrelationId.ToString(), envelope.MessageId.ToString(), envelope.Name, "test"),
            (scope.GetProperty("OrderId").GetString(), scope.GetProperty("MessageId").GetString(), scope.GetProperty("MessageName").GetString(),
                scope.GetProperty("Consumer").GetString()));
    }

    [Fact]
    public async Task Dispatch_WhenSameMessageArrivesConcurrently_AppliesItOnce()
    {
        var slow = new Behaviour { Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, slow);
        var envelope = Envelope(Guid.NewGuid());

        var deliveries = Enumerable.Range(0, 4).Select(_ => process.Endpoint.DispatchAsync(envelope, CancellationToken.None)).ToList();
        await Eventually.UntilAsync(() => slow.Deliveries.GetValueOrDefault(envelope.MessageId) == 4, "all four deliveries are in the handler");
        slow.Block!.SetResult();
        await Task.WhenAll(deliveries);

        Assert.Equal(1, await process.QueryAsync(db => db.Effects.CountAsync()));
    }

    [Fact]
    public async Task Dispatch_WhenAnotherMessageInsertedTheSameRowFirst_ReappliesAndSucceeds()
    {
        var racing = new Behaviour
        {
            RecordFirstSeen = true,
            Block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, racing);
        var orderId = Guid.NewGuid();
        var first = Envelope(orderId);
        var second = Envelope(orderId);

        // Both handlers see no row for the order before either inserts it: one insert loses on the unique key.
        var deliveries = new[] { first, second }.Select(e => process.Endpoint.DispatchAsync(e, CancellationToken.None)).ToList();
        await Eventually.UntilAsync(() => racing.Deliveries.Count == 2, "both messages are in the handler");
        racing.Block!.SetResult();
        await Task.WhenAll(deliveries);

        Assert.Equal(1, await process.QueryAsync(db => db.FirstSeen.CountAsync()));
        Assert.Equal(2, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(2, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task Dispatch_WhenHandlerChangesNothing_WritesNoInboxRowAndARepeatIsHandledAgain()
    {
        var ignoring = new Behaviour { NoEffect = true };
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, ignoring);
        var envelope = Envelope(Guid.NewGuid());

        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);
        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);

        Assert.Equal(2, ignoring.Deliveries[envelope.MessageId]);
        Assert.Equal(0, await process.QueryAsync(db => db.Inbox.CountAsync()));
        Assert.Equal(0, await process.QueryAsync(db => db.Effects.CountAsync()));
    }

    [Fact]
    public async Task Dispatch_WhenARepeatMakesTheHandlerObject_TreatsItAsAlreadyApplied()
    {
        // A repeat runs the handler again (there is no inbox look-up before it); a handler that objects to the state
        // its first delivery left must not turn a harmless redelivery into a retry and a dead letter.
        var behaviour = new Behaviour();
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, behaviour);
        var envelope = Envelope(Guid.NewGuid());
        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);

        behaviour.FailuresLeft = 1;
        await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);

        Assert.Equal(2, behaviour.Deliveries[envelope.MessageId]);
        Assert.Equal(1, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(1, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task Dispatch_WhenHandlerThrows_CommitsNothingAndRethrows()
    {
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, new Behaviour { FailuresLeft = 1 });

        await Assert.ThrowsAsync<InvalidOperationException>(() => process.Endpoint.DispatchAsync(Envelope(Guid.NewGuid()), CancellationToken.None));

        Assert.Equal(0, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(0, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task DispatchBatch_AppliesAllInOneTransactionAndEachSeesTheOnesBeforeIt()
    {
        var commits = new CommitCounter();
        var file = Path.Combine(_directory, "s.db");
        await using var process = await TestProcess.StartAsync(
            o => o.UseSqlite($"Data Source={file};Default Timeout=30").AddInterceptors(commits), _clock, new Behaviour { RecordFirstSeen = true });
        var orderA = Guid.NewGuid();
        var envelopes = new[] { Envelope(orderA), Envelope(Guid.NewGuid()), Envelope(orderA) };

        var before = commits.Count;
        var failures = await process.Endpoint.DispatchBatchAsync(envelopes, CancellationToken.None);

        Assert.All(failures, Assert.Null);
        Assert.Equal(1, commits.Count - before);
        // The second message of order A found the row the first one wrote, though neither had committed yet.
        Assert.Equal(2, await process.QueryAsync(db => db.FirstSeen.CountAsync()));
        Assert.Equal(3, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(3, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task DispatchBatch_WhenALaterMessageOnlyChangesARowAnEarlierOneChanged_ItIsStillAppliedOnce()
    {
        // The second message's only change is to the row the first one changed, in the batch's one context: it must
        // commit with its inbox row all the same, or its redelivery would count again.
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock,
            new Behaviour { CountOnTally = true, NoEffect = true });
        var envelopes = new[] { Envelope(Guid.NewGuid()), Envelope(Guid.NewGuid()) };

        Assert.All(await process.Endpoint.DispatchBatchAsync(envelopes, CancellationToken.None), Assert.Null);
        foreach (var envelope in envelopes)
        {
            await process.Endpoint.DispatchAsync(envelope, CancellationToken.None);
        }

        Assert.Equal(2, await process.QueryAsync(db => db.Tallies.Select(t => t.Count).SingleAsync()));
        Assert.Equal(2, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task RunAfterCommit_WhenAnActionFails_RunsTheOthersAndThenThrows()
    {
        // A batch's context holds every message's actions: one failing must not silence the rest.
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock);
        await using var scope = process.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        var ran = false;
        db.AfterCommit(() => throw new InvalidOperationException("first"));
        db.AfterCommit(() => ran = true);

        var error = Assert.Throws<InvalidOperationException>(db.RunAfterCommit);

        Assert.Equal("first", error.Message);
        Assert.True(ran);
    }

    [Fact]
    public async Task DispatchBatch_WhenOneIsARepeat_AppliesEachOnceOneAtATime()
    {
        var commits = new CommitCounter();
        var file = Path.Combine(_directory, "s.db");
        await using var process = await TestProcess.StartAsync(o => o.UseSqlite($"Data Source={file};Default Timeout=30").AddInterceptors(commits), _clock);
        var repeat = Envelope(Guid.NewGuid());
        var before = commits.Count;
        await process.Endpoint.DispatchAsync(repeat, CancellationToken.None);

        var failures = await process.Endpoint.DispatchBatchAsync([Envelope(Guid.NewGuid()), repeat, Envelope(Guid.NewGuid())], CancellationToken.None);

        Assert.All(failures, Assert.Null);
        Assert.Equal(3, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(3, await process.QueryAsync(db => db.Inbox.CountAsync()));
        Assert.Equal(1 + 2, commits.Count - before); // the first delivery, then the two new messages alone; the batch rolled back
    }

    [Fact]
    public async Task DispatchBatch_WhenAHandlerKeepsFailing_ReportsThatMessageAndAppliesTheOthers()
    {
        // A handler fails in the batch, which is then applied one at a time: the first message fails again, the others pass.
        var behaviour = new Behaviour { FailuresLeft = 2 };
        await using var process = await TestProcess.StartAsync(Path.Combine(_directory, "s.db"), _clock, behaviour);
        var envelopes = new[] { Envelope(Guid.NewGuid()), Envelope(Guid.NewGuid()), Envelope(Guid.NewGuid()) };

        var failures = await process.Endpoint.DispatchBatchAsync(envelopes, CancellationToken.None);

        Assert.IsType<InvalidOperationException>(failures[0]);
        Assert.Null(failures[1]);
        Assert.Null(failures[2]);
        Assert.Equal(new[] { envelopes[1].MessageId, envelopes[2].MessageId }.Order(),
            (await process.QueryAsync(db => db.Effects.Select(e => e.MessageId).ToListAsync())).Order());
    }

    [Fact]
    public void MessageTypes_EveryContract_HasAUniqueStableName()
    {
        var names = MessageTypes.All.Select(MessageTypes.NameOf).ToList();

        Assert.NotEmpty(names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal("orders.submitted", MessageTypes.NameOf<OrderSubmitted>());
        Assert.Equal(typeof(OrderStatusChanged), MessageTypes.TypeOf("orders.status-changed"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
