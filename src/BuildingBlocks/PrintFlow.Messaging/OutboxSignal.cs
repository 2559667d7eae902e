namespace PrintFlow.Messaging;

/// <summary>Wakes the relay of one service's outbox as soon as that service committed new outbox rows.</summary>
public sealed class OutboxSignal<TDbContext> : WakeSignal where TDbContext : ServiceDbContext;
