namespace PrintFlow.Messaging;

/// <summary>What travels on any transport: the serialized event plus what every hop needs to know about it.</summary>
/// <param name="Route">The part of the event stream it belongs to (<see cref="PrintFlow.Contracts.IRoutedEvent"/>), for a
/// transport that routes by it; null when the event is routed by name alone, and on the consuming side.</param>
public sealed record MessageEnvelope(
    Guid MessageId,
    string Name,
    Guid CorrelationId,
    string Payload,
    DateTimeOffset SentAt,
    string? TraceParent,
    string? Route = null);

/// <summary>What a handler may know about the message it handles.</summary>
public sealed record MessageContext(Guid MessageId, string Name, Guid CorrelationId, DateTimeOffset SentAt);
