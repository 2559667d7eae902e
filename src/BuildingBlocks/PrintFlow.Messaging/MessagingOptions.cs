using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Messaging;

public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>"InProcess" (embedded default) or a broker transport registered by a host.</summary>
    [Required]
    public string Transport { get; set; } = "InProcess";

    /// <summary>How often the relay looks for due messages when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a relay owns the rows it claimed; it renews the lease while delivery runs.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages delivered at once by one relay (orders in parallel, each order's messages in sequence).</summary>
    [Range(1, 256)]
    public int MaxConcurrentDeliveries { get; set; } = 32;

    /// <summary>Failed deliveries back off exponentially from this delay…</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A delivery that takes longer than this is abandoned and retried like any failure: a hung consumer never stalls its relay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>…and after this many attempts the message is dead-lettered (kept, flagged, no longer retried).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 12;

    /// <summary>
    /// Messages a consumer may apply in one transaction when a broker has handed it several (only under load: one
    /// waiting message is applied at once, alone). 1 turns this off.
    /// </summary>
    [Range(1, 256)]
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>
    /// How long a dispatched outbox message is kept (for inspection) before the retention job deletes it.
    /// Undispatched and dead-lettered messages are kept whatever their age.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a consumer remembers that it applied a message (its inbox row), and so ignores a repeat of it. Must
    /// exceed the longest time a message can still arrive again: a broker's redeliveries and delayed retries, an
    /// outbox lease running out after a crash, a replay from a dead-letter queue.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each process deletes the outbox and inbox rows past their retention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Rows deleted per statement (each its own short transaction) while pruning.</summary>
    [Range(1, 100_000)]
    public int RetentionBatchSize { get; set; } = 2_000;

    public TimeSpan BackoffFor(int attempts) => RetryBackoff.After(attempts, RetryBaseDelay, RetryMaxDelay);
}
