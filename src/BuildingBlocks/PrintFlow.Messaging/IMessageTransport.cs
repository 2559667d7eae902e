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

    /// <summary>How many messages <see cref="DispatchBatchAsync"/> may be given at once to gain from it (1: no gain).</summary>
    int MaxBatchSize => 1;

    /// <summary>
    /// Dispatches several envelopes (a broker consumer hands over what it has buffered) and returns, per envelope,
    /// <c>null</c> when it is done (applied, a duplicate or nothing to do) or the exception it failed with. Each
    /// envelope's effect is exactly the one <see cref="DispatchAsync"/> would have; only the cost may differ.
    /// </summary>
    async Task<Exception?[]> DispatchBatchAsync(IReadOnlyList<MessageEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var results = new Exception?[envelopes.Count];
        for (var i = 0; i < envelopes.Count; i++)
        {
            results[i] = await this.TryDispatchAsync(envelopes[i], cancellationToken);
        }

        return results;
    }
}

public static class MessageEndpointExtensions
{
    /// <summary>Dispatches one envelope and returns the exception it failed with, or <c>null</c>; cancellation still throws.</summary>
    public static async Task<Exception?> TryDispatchAsync(this IMessageEndpoint endpoint, MessageEnvelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await endpoint.DispatchAsync(envelope, cancellationToken);
            return null;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return exception;
        }
    }
}
