namespace PrintFlow.Messaging;

/// <summary>What travels on any transport: the serialized event plus what every hop needs to know about it.</summary>
public sealed record MessageEnvelope(
    Guid MessageId,
    string Name,
    Guid CorrelationId,
    string Payload,
    DateTimeOffset SentAt,
    string? TraceParent);

/// <summary>What a handler may know about the message it handles.</summary>
public sealed record MessageContext(Guid MessageId, string Name, Guid CorrelationId, DateTimeOffset SentAt);
