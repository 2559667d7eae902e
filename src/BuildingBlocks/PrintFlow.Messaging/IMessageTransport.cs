namespace PrintFlow.Messaging;

/// <summary>
/// Moves envelopes from a relay to the endpoints subscribed to them. <see cref="PublishAsync"/> completes only
/// when the message is safe (a broker confirmed it, or every in-process subscriber committed); until then the
/// outbox row stays undispatched and will be sent again.
/// </summary>
public interface IMessageTransport
{
    Task PublishAsync(MessageEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>A service's consuming side: the message names it subscribes to and the inbox-guarded dispatch.</summary>
public interface IMessageEndpoint
{
    string Name { get; }
    IReadOnlyCollection<string> Subscriptions { get; }
    Task DispatchAsync(MessageEnvelope envelope, CancellationToken cancellationToken);
}
