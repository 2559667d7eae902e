using System.Globalization;
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
        return SuperviseAsync(queues.Select(q => q.Queue).ToList(), stoppingToken);
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

        var channel = await amqp.CreateChannelAsync(
            new CreateChannelOptions(false, false, consumerDispatchConcurrency: (ushort)_options.ConsumerConcurrency), stoppingToken);
        try
        {
            await channel.BasicQosAsync(0, _options.Prefetch, global: false, stoppingToken);
            var basicConsumer = new AsyncEventingBasicConsumer(channel);
            basicConsumer.ReceivedAsync += (_, delivery) => HandleAsync(consumer, channel, delivery, stoppingToken);
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

    private async Task HandleAsync(QueueConsumer consumer, IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        var attempt = EnvelopeMapping.HeaderInt(delivery.BasicProperties, RabbitMqHeaders.Attempt) ?? 1;
        MessageEnvelope envelope;
        try
        {
            envelope = EnvelopeMapping.FromMessage(delivery.BasicProperties, delivery.Body);
        }
        catch (FormatException exception)
        {
            await FailAsync(consumer, channel, delivery, _options.MaxDeliveryAttempts, exception, stoppingToken);
            return;
        }

        try
        {
            await consumer.Endpoint.DispatchAsync(envelope, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return; // not acked: the broker hands it out again when the channel closes
        }
        catch (Exception exception)
        {
            await FailAsync(consumer, channel, delivery, attempt, exception, stoppingToken);
            return;
        }

        await AckAsync(channel, delivery, consumer.Queue);
    }

    /// <summary>Sends the message to a delay queue (or, after the last attempt, the dead-letter queue), confirmed, then acks it.</summary>
    private async Task FailAsync(
        QueueConsumer consumer, IChannel channel, BasicDeliverEventArgs delivery, int attempt, Exception exception, CancellationToken stoppingToken)
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
                    EnvelopeMapping.CopyWith(delivery.BasicProperties, headers), delivery.Body, stoppingToken);
                metrics.DeadLettered(consumer.Queue);
                logger.LogError("Dead-lettered {MessageName} {MessageId} from {Queue} after {Attempts} attempts: {Error}",
                    delivery.BasicProperties.Type, delivery.BasicProperties.MessageId, consumer.Queue, attempt, error);
            }
            else
            {
                var delay = _options.RetryDelayAfter(attempt);
                headers[RabbitMqHeaders.Attempt] = attempt + 1;
                // Routed by the consumer queue's name: when the delay expires the default exchange takes it back there.
                await publisher.PublishAsync(topology.Names.Delay(delay), consumer.Queue, mandatory: true,
                    EnvelopeMapping.CopyWith(delivery.BasicProperties, headers), delivery.Body, stoppingToken);
                metrics.Retried(consumer.Queue);
                logger.LogWarning("Attempt {Attempt} of {MessageName} {MessageId} on {Queue} failed; retrying in {Delay}: {Error}",
                    attempt, delivery.BasicProperties.Type, delivery.BasicProperties.MessageId, consumer.Queue, delay, error);
            }
        }
        catch (Exception publishFailure) when (!stoppingToken.IsCancellationRequested)
        {
            // Nothing was moved: give the message back (after a pause, not in a hot loop) rather than lose it.
            logger.LogError("Could not move failed message {MessageId} out of {Queue} ({Error}); it is requeued",
                delivery.BasicProperties.MessageId, consumer.Queue, publishFailure.Message);
            await Task.Delay(_options.ReconnectDelay, clock, CancellationToken.None);
            await NackAsync(channel, delivery);
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await AckAsync(channel, delivery, consumer.Queue);
    }

    private async Task AckAsync(IChannel channel, BasicDeliverEventArgs delivery, string queue)
    {
        try
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
        }
        catch (Exception exception) when (exception is AlreadyClosedException or OperationInterruptedException or ObjectDisposedException)
        {
            logger.LogInformation("Could not ack {MessageId} on {Queue} ({Error}); the broker delivers it again and the inbox ignores the repeat",
                delivery.BasicProperties.MessageId, queue, exception.Message);
        }
    }

    private async Task NackAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        try
        {
            await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
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

    private sealed class QueueConsumer(IMessageEndpoint endpoint, string queue)
    {
        public IMessageEndpoint Endpoint { get; } = endpoint;
        public string Queue { get; } = queue;
        public IChannel? Channel { get; set; }
        public long? ClosedSince { get; set; }
    }
}
