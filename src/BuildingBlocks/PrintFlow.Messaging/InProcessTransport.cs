using Microsoft.Extensions.Logging;

namespace PrintFlow.Messaging;

/// <summary>
/// The embedded transport: hands an envelope straight to every subscribed endpoint in this process and completes
/// only after all of them committed. If the process dies before that, the outbox row is still undispatched and
/// the relay sends it again at start-up; endpoints that had committed ignore the repeat through their inbox.
/// </summary>
public sealed class InProcessTransport(IEnumerable<IMessageEndpoint> endpoints, ILogger<InProcessTransport> logger)
    : IMessageTransport
{
    private readonly ILookup<string, IMessageEndpoint> _subscribers = endpoints
        .SelectMany(endpoint => endpoint.Subscriptions.Select(name => (name, endpoint)))
        .ToLookup(pair => pair.name, pair => pair.endpoint, StringComparer.Ordinal);

    public Task PublishAsync(MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        var subscribers = _subscribers[envelope.Name].ToArray();
        if (subscribers.Length == 0)
        {
            logger.LogDebug("No subscriber for {MessageName}; message {MessageId} is complete", envelope.Name, envelope.MessageId);
            return Task.CompletedTask;
        }

        return subscribers.Length == 1
            ? subscribers[0].DispatchAsync(envelope, cancellationToken)
            : Task.WhenAll(subscribers.Select(endpoint => endpoint.DispatchAsync(envelope, cancellationToken)));
    }
}
