using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>
/// Consumes every queue of this process's endpoints (one channel each, manual acks, prefetch) and acks a message only
/// after its endpoint returned, which is after the handler's effect and the inbox row committed. A failure goes to a
/// delay queue with the attempt count (confirmed) and only then is acked; after the last attempt the message moves to
/// the queue's dead-letter queue the same way. A crash before the ack means redelivery, which the inbox absorbs.
/// Deliveries wait in a small buffer per queue; each of the queue's workers takes what has gathered there (up to
/// the endpoint's batch size) and hands it to the endpoint at once, which applies it in one transaction. An idle
/// queue's message is taken alone, at once.
/// </summary>
public sealed class RabbitMqConsumerService(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    ConfirmingPublisher publisher,
    IEnumerable<IMessageEndpoint> endpoints,
    IOptions<RabbitMqOptions> options,
    RabbitMqMetrics metrics,
    TimeProvider clock,
    ILogger<RabbitMqConsumerService> logger) : BackgroundService
{
    private const int MaxErrorLength = 1000;
    private static readonly TimeSpan SuperviseEvery = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MeasureDepthEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ChannelRecoveryGrace = TimeSpan.FromSeconds(5);

    private readonly RabbitMqOptions _options = options.Value;
    private readonly List<QueueConsumer> _consumers = [];
    private IConnection? _declaredOn;
    private long _depthMeasuredAt = long.MinValue;

    /// <summary>How many queue consumers are registered with the broker right now (for tests and diagnostics).</summary>
    public int ActiveConsumers => _consumers.Count(c => c.Channel is { IsOpen: true });

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var local = endpoints.ToList();
        var queues = topology.QueuesFor(local); // a topology that lacks a local subscription stops the host right here
        _consumers.AddRange(local.SelectMany(e => e.Subscriptions.Select(m => new QueueConsumer(e, topology.Names.Queue(e.Name, m)))));
        var workers = _consumers
            .SelectMany(consumer => Enumerable.Range(0, _options.ConsumerConcurrency).Select(_ => Task.Run(() => WorkAsync(consumer, stoppingToken), CancellationToken.None)))
            .ToList();
        return Task.WhenAll([SuperviseAsync(queues.Select(q => q.Queue).ToList(), stoppingToken), .. workers]);
    }

    /// <summary>Connects, declares, starts consumers, and keeps re-creating any the broker closed, until stopped.</summary>
    private async Task SuperviseAsync(IReadOnlyList<string> queues, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var amqp = await connection.GetAsync(stoppingToken);
                if (!ReferenceEquals(_declaredOn, amqp))
                {
                    await topology.DeclareAsync(amqp, stoppingToken);
                    _declaredOn = amqp;
                }

                if (amqp.IsOpen)
                {
                    foreach (var consumer in _consumers.Where(NeedsNewChannel))
                    {
                        await StartConsumerAsync(amqp, consumer, stoppingToken);
                    }

                    if (clock.GetElapsedTime(_depthMeasuredAt) >= MeasureDepthEvery || _depthMeasuredAt == long.MinValue)
                    {
                        _depthMeasuredAt = clock.GetTimestamp();
                        await MeasureDepthsAsync(amqp, queues, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                logger.LogWarning("RabbitMQ consumers not (all) running: {Error}; retrying", exception.InnerException?.Message ?? exception.Message);
            }

            try
            {
                await Task.Delay(connection.IsOpen ? SuperviseEvery : _options.ReconnectDelay, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// No channel yet, or one that stayed closed while the connection is open. The client recovers channels with
    /// their connection a moment after it, so only one still closed after a grace period was closed for good (a
    /// channel error) and is replaced.
    /// </summary>
    private bool NeedsNewChannel(QueueConsumer consumer)
    {
        if (consumer.Channel is null)
        {
            return true;
        }

        if (!consumer.Channel.IsClosed)
        {
            consumer.ClosedSince = null;
            return false;
        }

        consumer.ClosedSince ??= clock.GetTimestamp();
        return clock.GetElapsedTime(consumer.ClosedSince.Value) > ChannelRecoveryGrace;
    }

    private async Task StartConsumerAsync(IConnection amqp, QueueConsumer consumer, CancellationToken stoppingToken)
    {
        if (consumer.Channel is { } old)
        {
            consumer.Channel = null;
            consumer.ClosedSince = null;
            await old.DisposeAsync();
        }

        var channel = await amqp.CreateChannelAsync(cancellationToken: stoppingToken);
        try
        {
            await channel.BasicQosAsync(0, PrefetchFor(consumer.Endpoint), global: false, stoppingToken);
            var basicConsumer = new AsyncEventingBasicConsumer(channel);
            basicConsumer.ReceivedAsync += (_, delivery) =>
            {
                // The client reuses the body's memory once this returns: the buffered delivery keeps a copy.
                consumer.Buffer.Writer.TryWrite(new Delivery(channel, delivery.DeliveryTag, delivery.BasicProperties, delivery.Body.ToArray()));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(consumer.Queue, autoAck: false, basicConsumer, stoppingToken);
            consumer.Channel = channel;
            logger.LogDebug("Consuming {Queue} for {Endpoint}", consumer.Queue, consumer.Endpoint.Name);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// How many unacked deliveries a queue's channel may hold. An endpoint that applies one message at a time (long work,
    /// such as Pricing's analyses) takes no more than its workers are applying, so what waits stays in the queue for
    /// whichever instance is free first; with the full prefetch the first instance to connect took a backlog of up to
    /// 32 analyses while a second instance idled. Other endpoints keep the full prefetch, so deliveries gather for batches.
    /// </summary>
    private ushort PrefetchFor(IMessageEndpoint endpoint) =>
        endpoint.MaxBatchSize <= 1 ? (ushort)Math.Clamp(_options.ConsumerConcurrency, 1, _options.Prefetch) : _options.Prefetch;

    /// <summary>One worker of a queue: takes what the buffer holds, up to the batch size, and handles it, until stopped.</summary>
    private async Task WorkAsync(QueueConsumer consumer, CancellationToken stoppingToken)
    {
        var maxBatch = Math.Max(1, Math.Min(consumer.Endpoint.MaxBatchSize, _options.Prefetch));
        var batch = new List<Delivery>(maxBatch);
        try
        {
            while (await consumer.Buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < maxBatch && consumer.Buffer.Reader.TryRead(out var delivery))
                {
                    // A delivery of a channel that has closed since is the broker's again: it will come back.
                    if (delivery.Channel.IsOpen)
                    {
                        batch.Add(delivery);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    await HandleAsync(consumer, batch, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // Not expected (failures are moved to a delay queue): give the messages back rather than keep them
                    // unacknowledged, and keep this worker going.
                    logger.LogError(exception, "Handling {Count} messages from {Queue} failed unexpectedly; they are requeued", batch.Count, consumer.Queue);
                    foreach (var delivery in batch)
                    {
                        await NackAsync(delivery);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still buffered was not acked, and the broker hands it out again.
        }
    }

    private async Task HandleAsync(QueueConsumer consumer, List<Delivery> deliveries, CancellationToken stoppingToken)
    {
        var envelopes = new List<MessageEnvelope>(deliveries.Count);
        var readable = new List<Delivery>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            try
            {
                envelopes.Add(EnvelopeMapping.FromMessage(delivery.Properties, delivery.Body));
                readable.Add(delivery);
            }
            catch (FormatException exception)
            {
                await FailAsync(consumer, delivery, _options.MaxDeliveryAttempts, exception, stoppingToken);
            }
        }

        if (envelopes.Count == 0)
        {
            return;
        }

        Exception?[] failures;
        try
        {
            failures = envelopes.Count == 1
                ? [await consumer.Endpoint.TryDispatchAsync(envelopes[0], stoppingToken)]
                : await consumer.Endpoint.DispatchBatchAsync(envelopes, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // not acked: the broker hands them out again when the channel closes
        }

        for (var i = 0; i < readable.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                await FailAsync(consumer, readable[i], readable[i].Attempt, failure, stoppingToken);
            }
            else
            {
                await AckAsync(readable[i], consumer.Queue);
            }
        }
    }

    /// <summary>Sends the message to a delay queue (or, after the last attempt, the dead-letter queue), confirmed, then acks it.</summary>
    private async Task FailAsync(QueueConsumer consumer, Delivery delivery, int attempt, Exception exception, CancellationToken stoppingToken)
    {
        var error = $"{exception.GetType().Name}: {exception.Message}";
        if (error.Length > MaxErrorLength)
        {
            error = error[..MaxErrorLength];
        }

        var headers = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [RabbitMqHeaders.Queue] = consumer.Queue,
            [RabbitMqHeaders.LastError] = error,
            [RabbitMqHeaders.FailedAt] = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
        var deadLetter = attempt >= _options.MaxDeliveryAttempts;
        try
        {
            if (deadLetter)
            {
                headers[RabbitMqHeaders.Attempt] = attempt;
                await publisher.PublishAsync("", RabbitMqNames.DeadLetterQueue(consumer.Queue), mandatory: true,
                    EnvelopeMapping.CopyWith(delivery.Properties, headers), delivery.Body, stoppingToken);
                metrics.DeadLettered(consumer.Queue);
                logger.LogError("Dead-lettered {MessageName} {MessageId} from {Queue} after {Attempts} attempts: {Error}",
                    delivery.Properties.Type, delivery.Properties.MessageId, consumer.Queue, attempt, error);
            }
            else
            {
                var delay = _options.RetryDelayAfter(attempt);
                headers[RabbitMqHeaders.Attempt] = attempt + 1;
                // Routed by the consumer queue's name: when the delay expires the default exchange takes it back there.
                await publisher.PublishAsync(topology.Names.Delay(delay), consumer.Queue, mandatory: true,
                    EnvelopeMapping.CopyWith(delivery.Properties, headers), delivery.Body, stoppingToken);
                metrics.Retried(consumer.Queue);
                logger.LogWarning("Attempt {Attempt} of {MessageName} {MessageId} on {Queue} failed; retrying in {Delay}: {Error}",
                    attempt, delivery.Properties.Type, delivery.Properties.MessageId, consumer.Queue, delay, error);
            }
        }
        catch (Exception publishFailure) when (!stoppingToken.IsCancellationRequested)
        {
            // Nothing was moved: give the message back (after a pause, not in a hot loop) rather than lose it.
            logger.LogError("Could not move failed message {MessageId} out of {Queue} ({Error}); it is requeued",
                delivery.Properties.MessageId, consumer.Queue, publishFailure.Message);
            await Task.Delay(_options.ReconnectDelay, clock, CancellationToken.None);
            await NackAsync(delivery);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await AckAsync(delivery, consumer.Queue);
    }

    private async Task AckAsync(Delivery delivery, string queue)
    {
        try
        {
            await delivery.Channel.BasicAckAsync(delivery.Tag, multiple: false, CancellationToken.None);
        }
        catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
        {
            logger.LogInformation("Could not ack {MessageId} on {Queue} ({Error}); the broker delivers it again and the inbox ignores the repeat",
                delivery.Properties.MessageId, queue, exception.Message);
        }
    }

    private static async Task NackAsync(Delivery delivery)
    {
        try
        {
            await delivery.Channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true, CancellationToken.None);
        }
        catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
        {
            // The channel is gone; the broker requeues the message by itself.
        }
    }

    private async Task MeasureDepthsAsync(IConnection amqp, IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        await using var channel = await amqp.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (var queue in queues)
        {
            metrics.Depth(queue, "main", (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount);
            metrics.Depth(queue, "dlq", (await channel.QueueDeclarePassiveAsync(RabbitMqNames.DeadLetterQueue(queue), cancellationToken)).MessageCount);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var consumer in _consumers)
        {
            if (consumer.Channel is { } channel)
            {
                consumer.Channel = null;
                try
                {
                    await channel.CloseAsync(cancellationToken);
                }
                catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException or OperationCanceledException)
                {
                    // Unacked messages return to the queue either way.
                }

                await channel.DisposeAsync();
            }
        }
    }

    /// <summary>A delivery waiting for a worker: the channel it came on (its tag is only valid there) and a copy of its body.</summary>
    private sealed record Delivery(IChannel Channel, ulong Tag, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body)
    {
        public int Attempt => EnvelopeMapping.HeaderInt(Properties, RabbitMqHeaders.Attempt) ?? 1;
    }

    private sealed class QueueConsumer(IMessageEndpoint endpoint, string queue)
    {
        public IMessageEndpoint Endpoint { get; } = endpoint;
        public string Queue { get; } = queue;

        /// <summary>Holds at most the prefetch count: the broker hands out no more unacknowledged messages than that.</summary>
        public Channel<Delivery> Buffer { get; } = System.Threading.Channels.Channel.CreateUnbounded<Delivery>();
        public IChannel? Channel { get; set; }
        public long? ClosedSince { get; set; }
    }
}
