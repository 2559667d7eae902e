using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Handlers;
using PrintFlow.Testing;

namespace PrintFlow.Ordering.Tests;

/// <summary>Submissions applied together read their orders once: a new order is not looked for again by its handler.</summary>
public sealed class SubmissionBatchTests : IAsyncLifetime
{
    private OrderingDatabase _database = null!;

    public async Task InitializeAsync() => _database = await OrderingDatabase.CreateAsync(services => services
        .AddLogging()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddMessagingEndpoint<OrderingDbContext>("ordering", endpoint => endpoint.Handle<OrderSubmitted, OrderSubmittedHandler>()));

    [Fact]
    public async Task Submissions_WhenAppliedAsABatch_ReadTheirOrdersInOneQueryAndRecordEachOrderOnce()
    {
        var endpoint = _database.Services.GetRequiredService<IMessageEndpoint>();
        var resent = OrderFactory.Submitted();
        await endpoint.DispatchAsync(Envelope(resent), CancellationToken.None);
        OrderSubmitted[] fresh = [OrderFactory.Submitted(), OrderFactory.Submitted()];
        using var reads = new QueryCounter("orders", [.. fresh.Select(o => o.OrderId), resent.OrderId]);

        // The channel re-sends an order it already submitted (a new message id: the inbox does not catch it).
        var failures = await endpoint.DispatchBatchAsync([.. fresh.Select(Envelope), Envelope(resent)], CancellationToken.None);
        var readsOfTheBatch = reads.Count;

        Assert.All(failures, Assert.Null);
        Assert.Equal(1, readsOfTheBatch);
        foreach (var order in fresh.Append(resent))
        {
            Assert.Equal(OrderStatus.PriceCalculating, (await _database.FindAsync(order.OrderId)).Status);
            Assert.Equal([OrderStatus.Submitted, OrderStatus.PriceCalculating], (await _database.TransitionsAsync(order.OrderId)).Select(t => t.To));
        }
    }

    private static MessageEnvelope Envelope(OrderSubmitted message) =>
        new(Guid.CreateVersion7(), MessageTypes.NameOf<OrderSubmitted>(), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null);

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
