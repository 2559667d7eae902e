namespace PrintFlow.Contracts;

/// <summary>An event that crosses a service boundary. Every one belongs to exactly one order.</summary>
public interface IIntegrationEvent
{
    /// <summary>The correlation id: the order the event belongs to.</summary>
    Guid OrderId { get; }
}

/// <summary>
/// An event some consumers take only a part of. Besides its name it carries a route (which part it belongs to, e.g. its
/// sales channel), so a transport can deliver each part only to the queues bound to it (decision 13). Consumers still
/// check what they get: an event whose route the topology does not list travels by its name alone, to every consumer.
/// </summary>
public interface IRoutedEvent : IIntegrationEvent
{
    /// <summary>The part this event belongs to: short, lower case, stable (a method, so it is not serialized).</summary>
    string Route();
}
