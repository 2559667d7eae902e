using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>The "Messaging:RabbitMq" section: where the broker is, what the topology is called, how consumers retry.</summary>
public sealed class RabbitMqOptions : IValidatableObject
{
    public const string Section = "Messaging:RabbitMq";
    public const string DefaultUri = "amqp://printflow:printflow@localhost:5672/";

    [Required]
    public string Uri { get; set; } = DefaultUri;

    /// <summary>The durable direct exchange every event is published to, routed by its message name.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9_.\-]+$")]
    public string Exchange { get; set; } = "printflow.events";

    /// <summary>Put in front of every consumer queue name; empty in production, unique per test.</summary>
    [RegularExpression(@"^[A-Za-z0-9_.\-]*$")]
    public string QueuePrefix { get; set; } = "";

    /// <summary>How the connection shows on the broker (rabbitmqctl list_connections); by default the process name and id.</summary>
    public string? ConnectionName { get; set; }

    /// <summary>Unacknowledged messages the broker hands one consumer (one queue of one process) at a time.</summary>
    [Range(1, 1000)]
    public ushort Prefetch { get; set; } = 32;

    /// <summary>
    /// Workers per queue in one process. Each takes what has gathered in the queue's buffer (one message when the
    /// queue is quiet, up to Messaging:MaxBatchSize under load) and has the endpoint apply it in one transaction.
    /// </summary>
    [Range(1, 64)]
    public int ConsumerConcurrency { get; set; } = 4;

    /// <summary>Deliveries a message gets before it is moved to its queue's dead-letter queue.</summary>
    [Range(1, 100)]
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Wait before delivery 2, 3, …; the last one repeats. Empty means 1 s, 5 s, 30 s, 2 min.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    /// <summary>How long a publish waits for the broker's confirm before it counts as failed (the relay retries it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Confirming channels shared by publishers (each carries many publishes in flight).</summary>
    [Range(1, 64)]
    public int PublisherChannels { get; set; } = 4;

    /// <summary>Between attempts to reach the broker (first connection and automatic recovery).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The broker's own guard (quorum queue delivery limit) for a message that is never acked nor rejected, for
    /// example because it crashes the process every time: after this many deliveries it goes to the dead-letter queue.
    /// </summary>
    [Range(2, 1000)]
    public int BrokerDeliveryLimit { get; set; } = 20;

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];

    public IReadOnlyList<TimeSpan> EffectiveRetryDelays => RetryDelays.Count > 0 ? RetryDelays : DefaultRetryDelays;

    /// <summary>The delay after failed delivery number <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan RetryDelayAfter(int attempt)
    {
        var delays = EffectiveRetryDelays;
        return delays[Math.Clamp(attempt - 1, 0, delays.Count - 1)];
    }

    public RabbitMqNames Names => new(Exchange, QueuePrefix);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Uri.TryCreate(Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            // Not the value itself: it may carry the broker password, and this message reaches the log and the console.
            yield return new ValidationResult("Messaging:RabbitMq:Uri must be an amqp:// or amqps:// address" +
                (uri is null ? "." : $", not a {uri.Scheme}:// one."), [nameof(Uri)]);
        }

        if (RetryDelays.Any(d => d <= TimeSpan.Zero || d > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult("Messaging:RabbitMq:RetryDelays must each be between 0 and 1 day.", [nameof(RetryDelays)]);
        }
    }
}
