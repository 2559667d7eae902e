using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>
/// Publishes over a few channels with publisher confirms and returns only once the broker confirmed: a nack, a
/// returned mandatory message, a lost connection or no confirm within <see cref="RabbitMqOptions.ConfirmTimeout"/>
/// throw, and the caller keeps the message (outbox row, or the unacked delivery) to try again.
/// </summary>
public sealed class ConfirmingPublisher(RabbitMqConnection connection, IOptions<RabbitMqOptions> options) : IAsyncDisposable
{
    private readonly RabbitMqOptions _options = options.Value;
    private readonly IChannel?[] _channels = new IChannel?[options.Value.PublisherChannels];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _next;

    public async Task PublishAsync(
        string exchange, string routingKey, bool mandatory, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var channel = await ChannelAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConfirmTimeout);
        try
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"RabbitMQ did not confirm the message within {_options.ConfirmTimeout}.");
        }
        catch (PublishException exception)
        {
            throw new InvalidOperationException(exception.IsReturn
                ? $"RabbitMQ returned the message: no queue is bound for '{routingKey}' on exchange '{exchange}'."
                : "RabbitMQ refused (nacked) the message.", exception);
        }
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_channels.Length);
        var current = Volatile.Read(ref _channels[slot]);
        if (current is not null && !(current.IsClosed && connection.IsOpen))
        {
            return current; // open, or closed with its connection: the client recovers both together
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _channels[slot];
            if (current is not null && !(current.IsClosed && connection.IsOpen))
            {
                return current;
            }

            // A channel the broker closed on its own (a channel error) is not recovered: replace it.
            if (current is not null)
            {
                await current.DisposeAsync();
            }

            var amqp = await connection.GetAsync(cancellationToken);
            var channel = await amqp.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
            Volatile.Write(ref _channels[slot], channel);
            return channel;
        }
        catch (BrokerUnreachableException exception)
        {
            throw new InvalidOperationException($"RabbitMQ is unreachable: {exception.InnerException?.Message ?? exception.Message}", exception);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }
        }
    }
}
