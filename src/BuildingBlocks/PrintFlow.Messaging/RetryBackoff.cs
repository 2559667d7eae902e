namespace PrintFlow.Messaging;

/// <summary>The one exponential back-off of PrintFlow's retry loops (the outbox relay, emails, webhook deliveries).</summary>
public static class RetryBackoff
{
    /// <summary>The wait after <paramref name="attempts"/> failed attempts: base × 2^(attempts−1), at most <paramref name="maxDelay"/>.</summary>
    public static TimeSpan After(int attempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, maxDelay.Ticks));
    }
}
