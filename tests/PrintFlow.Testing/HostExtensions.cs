using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;

namespace PrintFlow.Testing;

public static class HostExtensions
{
    /// <summary>Feeds a service's endpoint an event as a transport would, with a fresh message id.</summary>
    public static Task DispatchAsync<TEvent>(this PrintFlowHost host, string endpoint, TEvent message) where TEvent : IIntegrationEvent =>
        host.Services.DispatchAsync(endpoint, message);

    /// <inheritdoc cref="DispatchAsync{TEvent}(PrintFlowHost, string, TEvent)"/>
    public static Task DispatchAsync<TEvent>(this IServiceProvider services, string endpoint, TEvent message) where TEvent : IIntegrationEvent =>
        Endpoint(services, endpoint).DispatchAsync(Envelope(message), CancellationToken.None);

    /// <summary>Feeds a service's endpoint several events at once, as a broker consumer hands over what has gathered; returns each one's failure or null.</summary>
    public static Task<Exception?[]> DispatchBatchAsync<TEvent>(this PrintFlowHost host, string endpoint, params TEvent[] messages) where TEvent : IIntegrationEvent =>
        host.Services.DispatchBatchAsync(endpoint, messages);

    /// <inheritdoc cref="DispatchBatchAsync{TEvent}(PrintFlowHost, string, TEvent[])"/>
    public static Task<Exception?[]> DispatchBatchAsync<TEvent>(this IServiceProvider services, string endpoint, params TEvent[] messages) where TEvent : IIntegrationEvent =>
        Endpoint(services, endpoint).DispatchBatchAsync([.. messages.Select(Envelope)], CancellationToken.None);

    private static IMessageEndpoint Endpoint(IServiceProvider services, string name) =>
        services.GetServices<IMessageEndpoint>().Single(e => e.Name == name);

    private static MessageEnvelope Envelope<TEvent>(TEvent message) where TEvent : IIntegrationEvent =>
        new(Guid.NewGuid(), MessageTypes.NameOf<TEvent>(), message.OrderId, MessageSerializer.Serialize(message), DateTimeOffset.UtcNow, null);
}
