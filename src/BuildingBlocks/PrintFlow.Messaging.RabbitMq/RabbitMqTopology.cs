using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>
/// Declares the broker side: the events exchange; per consumer queue a durable quorum queue bound by message name (and
/// by name.route for the routes it takes, <see cref="MessageTopology"/>) and its dead-letter queue; per retry delay a
/// fanout exchange and a quorum queue whose TTL sends a message back, through the default exchange, to the consumer
/// queue named by its routing key. Declaring is idempotent; every process does it.
/// </summary>
public sealed class RabbitMqTopology(MessageTopology topology, IOptions<RabbitMqOptions> options)
{
    private readonly RabbitMqOptions _options = options.Value;
    private readonly RabbitMqNames _names = options.Value.Names;

    public RabbitMqNames Names => _names;

    /// <summary>The routing key <paramref name="envelope"/> is published with (its name, or name.route: decision 13).</summary>
    public string RoutingKey(MessageEnvelope envelope) => topology.RoutingKey(envelope.Name, envelope.Route);

    /// <summary>The consumer queues: the shared topology plus <paramref name="local"/> (which must all be in it).</summary>
    public IReadOnlyList<(string Endpoint, string Message, string Queue)> QueuesFor(IEnumerable<IMessageEndpoint> local)
    {
        var missing = local.SelectMany(e => e.Subscriptions.Select(m => (e.Name, m))).Where(q => !topology.Contains(q.Name, q.m)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The messaging topology lacks {string.Join(", ", missing.Select(q => $"{q.Name} ← {q.m}"))}: add it to PrintFlowTopology so " +
                "every process declares the queue and no event published before this consumer starts is dropped.");
        }

        return topology.Queues.Select(q => (q.Endpoint, q.Message, _names.Queue(q.Endpoint, q.Message))).ToList();
    }

    public async Task DeclareAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(_names.Exchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var delay in _options.EffectiveRetryDelays.Distinct())
        {
            var name = _names.Delay(delay);
            await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                // No routing key of its own: an expired message keeps the one it was published with, its consumer queue.
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-strategy"] = "at-least-once",
                ["x-overflow"] = "reject-publish",
            }, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(name, name, routingKey: "", cancellationToken: cancellationToken);
        }

        foreach (var (endpoint, message, queue) in QueuesFor([]))
        {
            var deadLetters = RabbitMqNames.DeadLetterQueue(queue);
            await channel.QueueDeclareAsync(deadLetters, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
            {
                ["x-queue-type"] = "quorum",
                ["x-delivery-limit"] = _options.BrokerDeliveryLimit,
                ["x-dead-letter-exchange"] = "",
                ["x-dead-letter-routing-key"] = deadLetters,
                ["x-dead-letter-strategy"] = "at-least-once",
                ["x-overflow"] = "reject-publish",
            }, cancellationToken: cancellationToken);
            // Bindings are only ever added: the name's stays for events without a route, from older publishers too.
            foreach (var key in topology.BindingKeys(endpoint, message))
            {
                await channel.QueueBindAsync(queue, _names.Exchange, key, cancellationToken: cancellationToken);
            }
        }
    }
}
