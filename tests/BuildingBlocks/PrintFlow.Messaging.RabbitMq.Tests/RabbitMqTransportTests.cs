using Microsoft.EntityFrameworkCore;
using PrintFlow.Testing;

namespace PrintFlow.Messaging.RabbitMq.Tests;

[Trait("Category", "Infrastructure")]
public sealed class RabbitMqTransportTests : IAsyncLifetime
{
    private readonly BrokerScope _broker = new();

    [Fact]
    public async Task Publish_WhenConsumerRuns_ConsumesEachOnceAndMarksRowsDispatched()
    {
        await using var process = await TestProcess.StartAsync(_broker);

        var orders = await process.PublishAsync(5);

        await Eventually.UntilAsync(process.EffectsAsync, n => n == 5, "five effects are applied");
        await Eventually.UntilAsync(() => process.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)), n => n == 0,
            "every outbox row is marked dispatched after its confirm");
        Assert.Equal(orders.Order(), (await process.QueryAsync(db => db.Effects.Select(e => e.OrderId).ToListAsync())).Order());
        Assert.All(process.Endpoint.Dispatched.Values, n => Assert.Equal(1, n));
        Assert.Equal(0u, await _broker.CountAsync(_broker.Queue));
    }

    [Fact]
    public async Task Consume_WhenTwoProcessesCompeteFor200Messages_AppliesEachExactlyOnce()
    {
        await using var first = await TestProcess.StartAsync(_broker);
        await using var second = await TestProcess.StartAsync(_broker);

        await first.PublishAsync(100);
        await second.PublishAsync(100);

        await Eventually.UntilAsync(first.EffectsAsync, n => n >= 200, "200 effects are applied", TimeSpan.FromSeconds(60));
        var effects = await first.QueryAsync(db => db.Effects.Select(e => e.MessageId).ToListAsync());
        Assert.Equal(200, effects.Count);
        Assert.Equal(200, effects.Distinct().Count());
        Assert.True(!first.Endpoint.Dispatched.IsEmpty && !second.Endpoint.Dispatched.IsEmpty,
            $"both instances consumed ({first.Endpoint.Dispatched.Count} and {second.Endpoint.Dispatched.Count})");
    }

    [Fact]
    public async Task Consume_WhenMessagesGatherBehindABusyWorker_HandsThemOverTogetherAndAppliesEachOnce()
    {
        var behaviour = new Behaviour { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var process = await TestProcess.StartAsync(_broker, behaviour,
            settings: new Dictionary<string, string?> { ["Messaging:RabbitMq:ConsumerConcurrency"] = "1" });

        await process.PublishAsync(1);
        await Eventually.UntilAsync(() => Task.FromResult(behaviour.Handled.Count), n => n == 1, "the only worker is busy with the first message");
        await process.PublishAsync(10);
        await Eventually.UntilAsync(
            () => process.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the ten are published");
        await Eventually.UntilAsync(() => _broker.CountAsync(_broker.Queue), n => n == 0, "the broker has handed all ten to the consumer");
        behaviour.Gate.SetResult();

        await Eventually.UntilAsync(process.EffectsAsync, n => n == 11, "all eleven are applied");
        Assert.Equal([10], process.Endpoint.Batches);
        Assert.Equal(11, await process.QueryAsync(db => db.Inbox.CountAsync()));
        Assert.All(behaviour.Handled.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task Consume_WhenTheEndpointAppliesOneAtATime_LeavesWhatABusyInstanceIsNotWorkingOnToAnother()
    {
        var settings = new Dictionary<string, string?> { ["Messaging:RabbitMq:ConsumerConcurrency"] = "1" };
        var busy = new Behaviour { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var first = await TestProcess.StartAsync(_broker, busy, settings: settings, oneAtATime: true);
        await first.PublishAsync(1);
        await Eventually.UntilAsync(() => Task.FromResult(busy.Handled.Count), n => n == 1, "the first instance's only worker is busy");
        await first.PublishAsync(4);
        await Eventually.UntilAsync(
            () => first.QueryAsync(db => db.Outbox.CountAsync(m => m.DispatchedAt == null)), n => n == 0, "the four are published");

        var free = new Behaviour();
        await using var second = await TestProcess.StartAsync(_broker, free, settings: settings, oneAtATime: true);

        await Eventually.UntilAsync(() => Task.FromResult(free.Handled.Count), n => n == 4, "the second instance applies the four waiting ones");
        busy.Gate.SetResult();
        await Eventually.UntilAsync(first.EffectsAsync, n => n == 5, "all five are applied");
        Assert.Single(busy.Handled);
    }

    [Fact]
    public async Task Consume_WhenHandlerFailsTwice_RetriesThroughDelayQueuesAndSucceeds()
    {
        var behaviour = new Behaviour { FailuresLeft = 2 };
        await using var process = await TestProcess.StartAsync(_broker, behaviour);

        await process.PublishAsync(1);

        await Eventually.UntilAsync(process.EffectsAsync, n => n == 1, "the third attempt applies the message");
        Assert.Equal(3, behaviour.Handled.Values.Single());
        Assert.Equal(0u, await _broker.CountAsync(_broker.DeadLetterQueue));
    }

    [Fact]
    public async Task Consume_WhenConnectionDropsAfterCommitBeforeAck_RedeliversAndInboxAppliesOnce()
    {
        // The first message commits, then the broker drops the connection before the consumer acks it.
        await using var process = await TestProcess.StartAsync(_broker, afterCommit: sp => async _ =>
        {
            var connection = sp.GetService(typeof(RabbitMqConnection)) as RabbitMqConnection;
            await BrokerScope.ForceCloseConnectionAsync(ConnectionNameOf(sp));
            await Eventually.UntilAsync(() => Task.FromResult(!connection!.IsOpen), "the connection is down");
        });

        await process.PublishAsync(1);

        await Eventually.UntilAsync(() => Task.FromResult(process.Endpoint.Dispatched.Values.SingleOrDefault()), n => n >= 2,
            "the unacked message is delivered again after recovery", TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync(() => _broker.CountAsync(_broker.Queue), n => n == 0, "the redelivery is acked");
        // The redelivery runs the handler again (there is no inbox look-up before it); its staged effect is refused
        // by the inbox row's key, so the effect and the inbox row stay single.
        Assert.Equal(process.Endpoint.Dispatched.Values.Single(), process.Behaviour.Handled.Values.Single());
        Assert.Equal(1, await process.EffectsAsync());
        Assert.Equal(1, await process.QueryAsync(db => db.Inbox.CountAsync()));
    }

    [Fact]
    public async Task Publish_WhenBrokerDropsConnection_PublisherAndConsumerRecoverAndDeliveryResumes()
    {
        await using var process = await TestProcess.StartAsync(_broker);
        await process.PublishAsync(1);
        await Eventually.UntilAsync(process.EffectsAsync, n => n == 1, "the first message is applied");

        await BrokerScope.ForceCloseConnectionAsync(process.ConnectionName);
        await process.PublishAsync(5);

        await Eventually.UntilAsync(process.EffectsAsync, n => n == 6, "messages published around the outage are applied", TimeSpan.FromSeconds(60));
        Assert.True(process.Connection.IsOpen);
        Assert.Equal(6, process.Endpoint.Dispatched.Count);
    }

    private static string ConnectionNameOf(IServiceProvider services) =>
        ((Microsoft.Extensions.Options.IOptions<RabbitMqOptions>)services.GetService(typeof(Microsoft.Extensions.Options.IOptions<RabbitMqOptions>))!)
            .Value.ConnectionName!;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _broker.DisposeAsync();
}

[Trait("Category", "Infrastructure")]
public sealed class UnreachableBrokerTests : IAsyncLifetime
{
    private readonly BrokerScope _broker = new();

    [Fact]
    public async Task Start_WhenBrokerIsUnreachable_KeepsRunningNotReadyAndOutboxHoldsMessages()
    {
        await using var process = await TestProcess.StartAsync(_broker, brokerUri: new Uri("amqp://printflow:printflow@127.0.0.1:1/"));

        await process.PublishAsync(2);

        await Eventually.UntilAsync(() => process.QueryAsync(db => db.Outbox.CountAsync(m => m.Attempts > 0 && m.DispatchedAt == null)), n => n == 2,
            "both publishes failed and stay in the outbox");
        var health = await new RabbitMqHealthCheck(process.Connection).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy, health.Status);
        Assert.Equal(0, await process.QueryAsync(db => db.Outbox.CountAsync(m => m.DeadLetteredAt != null)));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _broker.DisposeAsync();
}
