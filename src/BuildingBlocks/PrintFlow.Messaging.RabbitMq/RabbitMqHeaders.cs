namespace PrintFlow.Messaging.RabbitMq;

/// <summary>Application headers PrintFlow puts on a message besides the W3C trace context.</summary>
public static class RabbitMqHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";
    public const string SentAt = "printflow-sent-at";

    /// <summary>Which delivery this is (1 for the first); set when a failed message is sent back through a delay queue.</summary>
    public const string Attempt = "printflow-attempt";

    /// <summary>The consumer queue a retried or dead-lettered message belongs to.</summary>
    public const string Queue = "printflow-queue";
    public const string LastError = "printflow-last-error";
    public const string FailedAt = "printflow-failed-at";
    public const string Replayed = "printflow-replayed";
}
