using PrintFlow.Messaging;

namespace PrintFlow.Notifications.Sending;

/// <summary>Wakes the sender when an email was stored, so it need not wait for its next poll.</summary>
public sealed class SenderSignal : WakeSignal;

/// <summary>The clock of the notifications service: the host's, unless a test gives this service a fake one of its own.</summary>
public sealed class NotificationsClock(TimeProvider time)
{
    public const string Key = "notifications";

    public TimeProvider Time => time;

    public DateTimeOffset Now => time.GetUtcNow();
}
