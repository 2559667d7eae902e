using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;

namespace PrintFlow.Testing;

public static class HostExtensions
{
    /// <summary>Feeds a service's endpoint an event as a transport would, with a fresh message id.</summary>
    public static Task DispatchAsync<TEvent>(this PrintFlowHost host, string endpoint, TEvent message) where TEvent : IIntegrationEvent =>
        host.Services.GetServices<IMessageEndpoint>().Single(e => e.Name == endpoint).DispatchAsync(
            new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<TEvent>(), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null),
            CancellationToken.None);

    /// <summary>Feeds a service's endpoint several events at once, as a broker consumer hands over what has gathered; returns each one's failure or null.</summary>
    public static Task<Exception?[]> DispatchBatchAsync<TEvent>(this PrintFlowHost host, string endpoint, params TEvent[] messages) where TEvent : IIntegrationEvent =>
        host.Services.GetServices<IMessageEndpoint>().Single(e => e.Name == endpoint).DispatchBatchAsync(
            [.. messages.Select(m => new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<TEvent>(), m.OrderId, MessageSerializer.Serialize(m), DateTimeOffset.UtcNow, null))],
            CancellationToken.None);
}
