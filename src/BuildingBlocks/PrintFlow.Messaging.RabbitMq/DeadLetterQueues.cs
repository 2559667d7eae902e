using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>A dead-letter queue and how many messages wait in it.</summary>
public sealed record DeadLetterQueueInfo(string Queue, string OriginalQueue, uint Messages);

/// <summary>One dead-lettered message as the dlq command shows it.</summary>
public sealed record DeadLetter(
    string? MessageId, string? Name, string? OrderId, int? Attempts, string? LastError, string? FailedAt, string Body);

/// <summary>
/// Lists, inspects and replays dead-lettered messages (the <c>printflow dlq</c> command). Inspecting takes messages
/// without acking them and gives them back by closing the channel; replaying publishes each one to its original queue
/// with confirms and acks it from the dead-letter queue only after the broker confirmed.
/// </summary>
public sealed class DeadLetterQueues(IConnection connection, RabbitMqNames names, MessageTopology topology)
{
    public async Task<IReadOnlyList<DeadLetterQueueInfo>> ListAsync(CancellationToken cancellationToken)
    {
        var result = new List<DeadLetterQueueInfo>();
        foreach (var (endpoint, message) in topology.Queues)
        {
            var queue = names.Queue(endpoint, message);
            var dlq = RabbitMqNames.DeadLetterQueue(queue);
            // A passive declare of a missing queue closes the channel: one channel per look-up.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                var ok = await channel.QueueDeclarePassiveAsync(dlq, cancellationToken);
                result.Add(new DeadLetterQueueInfo(dlq, queue, ok.MessageCount));
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
            {
                // Not declared yet: that service has never started against this broker.
            }
        }

        return result;
    }

    public async Task<IReadOnlyList<DeadLetter>> PeekAsync(string deadLetterQueue, int count, int bodyBytes, CancellationToken cancellationToken)
    {
        var result = new List<DeadLetter>();
        await using var channel = await OpenQueueAsync(deadLetterQueue, cancellationToken);
        for (var i = 0; i < count; i++)
        {
            var message = await channel.BasicGetAsync(deadLetterQueue, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            var properties = message.BasicProperties;
            var body = message.Body.Length > bodyBytes ? message.Body[..bodyBytes] : message.Body;
            result.Add(new DeadLetter(
                properties.MessageId, properties.Type, properties.CorrelationId,
                EnvelopeMapping.HeaderInt(properties, RabbitMqHeaders.Attempt),
                EnvelopeMapping.HeaderString(properties, RabbitMqHeaders.LastError),
                EnvelopeMapping.HeaderString(properties, RabbitMqHeaders.FailedAt),
                Encoding.UTF8.GetString(body.Span)));
        }

        // Closing the channel without acks returns every message to the queue.
        await channel.CloseAsync(cancellationToken);
        return result;
    }

    /// <summary>Moves up to <paramref name="count"/> messages (at most those present at the start) back to their queues.</summary>
    public async Task<int> ReplayAsync(string deadLetterQueue, int? count, CancellationToken cancellationToken)
    {
        await using var channel = await OpenQueueAsync(deadLetterQueue, cancellationToken);
        await using var publisher = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var present = (await channel.QueueDeclarePassiveAsync(deadLetterQueue, cancellationToken)).MessageCount;
        var limit = Math.Min(count ?? int.MaxValue, (int)present); // replayed messages that fail again do not loop back in
        var replayed = 0;
        while (replayed < limit)
        {
            var message = await channel.BasicGetAsync(deadLetterQueue, autoAck: false, cancellationToken);
            if (message is null)
            {
                break;
            }

            var target = EnvelopeMapping.HeaderString(message.BasicProperties, RabbitMqHeaders.Queue)
                ?? RabbitMqNames.OriginalQueue(deadLetterQueue)
                ?? throw new InvalidOperationException($"'{deadLetterQueue}' is not a dead-letter queue (its name does not end in .dlq).");
            var replays = (EnvelopeMapping.HeaderInt(message.BasicProperties, RabbitMqHeaders.Replayed) ?? 0) + 1;
            var properties = EnvelopeMapping.CopyWith(message.BasicProperties,
                new Dictionary<string, object?> { [RabbitMqHeaders.Replayed] = replays },
                RabbitMqHeaders.Attempt);
            await publisher.BasicPublishAsync("", target, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }

        return replayed;
    }

    private async Task<IChannel> OpenQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return channel;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            await channel.DisposeAsync();
            throw new KeyNotFoundException($"There is no queue '{queue}' on this broker.");
        }
    }
}
