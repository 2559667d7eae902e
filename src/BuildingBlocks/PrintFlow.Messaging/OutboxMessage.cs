namespace PrintFlow.Messaging;

/// <summary>
/// An event waiting to leave its service. Written in the same transaction as the state change that caused it;
/// the relay claims it with a lease, delivers it and marks it dispatched.
/// </summary>
[MigrationStream(MigrationStreamAttribute.Messaging)]
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public required string Name { get; set; }
    public Guid CorrelationId { get; set; }
    public required string Payload { get; set; }
    public string? TraceParent { get; set; }

    /// <summary>The event's route (<see cref="PrintFlow.Contracts.IRoutedEvent"/>), or null when it travels by name alone.</summary>
    public string? Route { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? DeadLetteredAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public Guid? LockedBy { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }

    public MessageEnvelope ToEnvelope() => new(MessageId, Name, CorrelationId, Payload, CreatedAt, TraceParent, Route);
}

/// <summary>Proof that a consumer already applied a message: its effect and this row commit together.</summary>
[MigrationStream(MigrationStreamAttribute.Messaging)]
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}
