namespace PrintFlow.Contracts;

/// <summary>An event that crosses a service boundary. Every one belongs to exactly one order.</summary>
public interface IIntegrationEvent
{
    /// <summary>The correlation id: the order the event belongs to.</summary>
    Guid OrderId { get; }
}
