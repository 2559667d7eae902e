namespace PrintFlow.Messaging.RabbitMq;

/// <summary>How every exchange and queue of the topology is named; the consumers and the dlq command agree through it.</summary>
public sealed record RabbitMqNames(string Exchange, string QueuePrefix)
{
    public const string DeadLetterSuffix = ".dlq";

    /// <summary>One queue per consuming service and message kind, e.g. <c>ordering.pricing.price-calculated</c>.</summary>
    public string Queue(string endpoint, string message) => $"{QueuePrefix}{endpoint}.{message}";

    public static string DeadLetterQueue(string queue) => queue + DeadLetterSuffix;

    /// <summary>The queue a dead-letter queue belongs to, or null when the name is not a dead-letter queue's.</summary>
    public static string? OriginalQueue(string deadLetterQueue) =>
        deadLetterQueue.EndsWith(DeadLetterSuffix, StringComparison.Ordinal) ? deadLetterQueue[..^DeadLetterSuffix.Length] : null;

    /// <summary>The fanout exchange and the queue (same name) that hold a message for <paramref name="delay"/> before it returns.</summary>
    public string Delay(TimeSpan delay) => $"{Exchange}.delay.{(long)delay.TotalMilliseconds}ms";
}
