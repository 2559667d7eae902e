namespace PrintFlow.Notifications.Sending;

/// <summary>Wakes the sender when an email was stored, so it need not wait for its next poll.</summary>
public sealed class SenderSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake-pending: one wake covers every email stored before the sender looks.
        }
    }

    /// <summary>Waits for a wake or for <paramref name="timeout"/> on <paramref name="clock"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var woken = _signal.WaitAsync(either.Token);
        var elapsed = Task.Delay(timeout, clock, either.Token);
        await Task.WhenAny(woken, elapsed);
        await either.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>The clock of the notifications service: the host's, unless a test gives this service a fake one of its own.</summary>
public sealed class NotificationsClock(TimeProvider time)
{
    public const string Key = "notifications";

    public TimeProvider Time => time;

    public DateTimeOffset Now => time.GetUtcNow();
}
