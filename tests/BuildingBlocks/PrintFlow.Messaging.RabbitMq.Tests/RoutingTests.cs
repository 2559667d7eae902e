using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PrintFlow.Messaging.RabbitMq.Tests;

/// <summary>Status events routed by sales channel (decision 13), on PrintFlow's own topology and a real broker.</summary>
[Trait("Category", "Infrastructure")]
public sealed class RoutingTests : IAsyncLifetime
{
    private static readonly string StatusChanged = MessageTypes.NameOf<OrderStatusChanged>();
    private readonly BrokerScope _broker = new();
    private RabbitMqTopology _topology = null!;

    public Task InitializeAsync()
    {
        _topology = new RabbitMqTopology(PrintFlowTopology.Default, Options.Create(new RabbitMqOptions
        {
            Exchange = _broker.Exchange,
            QueuePrefix = _broker.Prefix,
            RetryDelays = [.. BrokerScope.RetryDelays],
        }));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Publish_WhenStatusEventsCarryTheirChannel_ShopAndPartnersGetTheirOwnAndCrmGetsBoth()
    {
        await using var connection = await BrokerScope.ConnectAsync();
        await _topology.DeclareAsync(connection, CancellationToken.None);

        await PublishAsync(connection, Envelope(SalesChannel.Partner));
        await PublishAsync(connection, Envelope(SalesChannel.Partner));
        await PublishAsync(connection, Envelope(SalesChannel.Shop));
        // As a publisher built before routing sends it: by name alone, so every consumer of the event still gets it.
        await PublishAsync(connection, Envelope(SalesChannel.Partner) with { Route = null });

        await Eventually.UntilAsync(() => _broker.CountAsync(Queue("crm")), n => n == 4, "CRM's queue gets every status event");
        Assert.Equal(3u, await _broker.CountAsync(Queue("partners")));
        Assert.Equal(2u, await _broker.CountAsync(Queue("shop")));
        Assert.Equal(2u, await _broker.CountAsync(Queue("notifications"))); // shop orders' only: partners hear by webhook
    }

    [Fact]
    public void RoutingKey_WhenTheRouteIsNotOneTheTopologyLists_IsTheNameSoNoConsumerMissesIt()
    {
        var topology = PrintFlowTopology.Default;

        Assert.Equal("orders.status-changed.partner", topology.RoutingKey(StatusChanged, "partner"));
        Assert.Equal(StatusChanged, topology.RoutingKey(StatusChanged, "wholesale"));
        Assert.Equal(StatusChanged, topology.RoutingKey(StatusChanged, null));
        Assert.Equal("orders.submitted", topology.RoutingKey("orders.submitted", "partner"));
        Assert.Equal([StatusChanged, "orders.status-changed.shop"], topology.BindingKeys("shop", StatusChanged));
        Assert.Equal([StatusChanged, "orders.status-changed.shop", "orders.status-changed.partner"], topology.BindingKeys("crm", StatusChanged));
        Assert.Equal([StatusChanged, "orders.status-changed.shop"], topology.BindingKeys("notifications", StatusChanged));
    }

    [Fact]
    public void Route_OfAStatusEvent_IsItsChannelAndIsNotPartOfThePayload()
    {
        var partner = Event(SalesChannel.Partner);

        Assert.Equal("partner", partner.Route());
        Assert.Equal("shop", Event(SalesChannel.Shop).Route());
        Assert.DoesNotContain("route", MessageSerializer.Serialize(partner), StringComparison.OrdinalIgnoreCase);
    }

    private string Queue(string endpoint) => _broker.Names.Queue(endpoint, StatusChanged);

    private static OrderStatusChanged Event(SalesChannel channel) => new(
        Guid.CreateVersion7(), new CustomerRef("c-1", "Customer", "c@example.com", channel),
        OrderStatus.PriceCalculating, OrderStatus.Submitted, 2, DateTimeOffset.UtcNow, null, null, []);

    private static MessageEnvelope Envelope(SalesChannel channel)
    {
        var message = Event(channel);
        return new MessageEnvelope(Guid.CreateVersion7(), StatusChanged, message.OrderId, MessageSerializer.Serialize(message),
            DateTimeOffset.UtcNow, null, message.Route());
    }

    /// <summary>What <see cref="RabbitMqTransport"/> does: to the events exchange, by the topology's key, confirmed.</summary>
    private async Task PublishAsync(IConnection connection, MessageEnvelope envelope)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.BasicPublishAsync(_broker.Exchange, _topology.RoutingKey(envelope), mandatory: true,
            EnvelopeMapping.ToProperties(envelope), EnvelopeMapping.ToBody(envelope));
    }

    public async Task DisposeAsync()
    {
        try
        {
            await using var connection = await BrokerScope.ConnectAsync();
            foreach (var (_, _, queue) in _topology.QueuesFor([]))
            {
                await using var channel = await connection.CreateChannelAsync();
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
                await channel.QueueDeleteAsync(RabbitMqNames.DeadLetterQueue(queue), ifUnused: false, ifEmpty: false);
            }
        }
        catch (Exception exception) when (exception is OperationInterruptedException or BrokerUnreachableException)
        {
            // Best effort: names are unique, leftovers harm no other test.
        }

        await _broker.DisposeAsync();
    }
}
