using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>
/// Publishes outbox messages to the events exchange, routed by message name (and route, when the event has a known
/// one). <see cref="PublishAsync"/> completes when the broker confirmed the (persistent) message into every bound
/// quorum queue; otherwise it throws and the outbox row stays undispatched, so the relay tries again, also across a
/// broker outage.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore never allocates a wait handle, and the transport lives as long as the process.")]
public sealed class RabbitMqTransport(
    RabbitMqConnection connection,
    RabbitMqTopology topology,
    ConfirmingPublisher publisher,
    IOptions<RabbitMqOptions> options,
    RabbitMqMetrics metrics) : IMessageTransport
{
    private readonly string _exchange = options.Value.Exchange;
    private readonly SemaphoreSlim _declaring = new(1, 1);
    private IConnection? _declaredOn;

    public async Task PublishAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        await EnsureTopologyAsync(cancellationToken);
        try
        {
            await publisher.PublishAsync(
                _exchange, topology.RoutingKey(envelope), mandatory: false,
                EnvelopeMapping.ToProperties(envelope), EnvelopeMapping.ToBody(envelope), cancellationToken);
            metrics.Published(envelope.Name, "confirmed");
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.Published(envelope.Name, "failed");
            throw;
        }
    }

    /// <summary>Declares the whole topology once per connection, before the first publish: no event is routed nowhere.</summary>
    private async Task EnsureTopologyAsync(CancellationToken cancellationToken)
    {
        var amqp = await connection.GetAsync(cancellationToken);
        if (ReferenceEquals(Volatile.Read(ref _declaredOn), amqp))
        {
            return;
        }

        await _declaring.WaitAsync(cancellationToken);
        try
        {
            if (!ReferenceEquals(_declaredOn, amqp))
            {
                await topology.DeclareAsync(amqp, cancellationToken);
                Volatile.Write(ref _declaredOn, amqp);
            }
        }
        finally
        {
            _declaring.Release();
        }
    }
}
