using PrintFlow.Contracts;

namespace PrintFlow.Messaging;

/// <summary>
/// Applies one integration event to a service. A handler changes tracked entities and calls
/// <see cref="ServiceDbContext.Publish"/> but never SaveChanges itself: the endpoint saves the handler's effect,
/// the events it publishes and the inbox record in one SaveChanges, which is what makes redelivery harmless.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent message, MessageContext context, CancellationToken cancellationToken);
}

/// <summary>A handler throws this when the message arrived before one it depends on; it is retried later.</summary>
public sealed class MessageOutOfOrderException(string message) : Exception(message);
