using PrintFlow.Contracts;

namespace PrintFlow.Mes.Domain;

public enum StepKind
{
    /// <summary>The job moved to <see cref="JobStep.Stage"/> (a ManufacturingProgressed was published).</summary>
    Stage,
    Taken,
    Reassigned,
    Cancelled,

    /// <summary>A print started on a printer (the reason names it).</summary>
    PrintStarted,

    /// <summary>A print failed or was refused; the job went back to the queue (the reason says why).</summary>
    Requeued,

    /// <summary>No printer of the farm can print it (the reason says why).</summary>
    Unschedulable,
}

/// <summary>One line of a job's history: what happened, who did it and when.</summary>
public sealed class JobStep
{
    private JobStep() { }

    internal JobStep(StepKind kind, OrderStatus stage, int? sequence, Actor by, DateTimeOffset at, string? reason)
    {
        Kind = kind;
        Stage = stage;
        Sequence = sequence;
        ById = by.Id;
        ByName = by.Name;
        At = at;
        Reason = reason;
    }

    public long Id { get; private set; }
    public long JobId { get; private set; }
    public StepKind Kind { get; private set; }
    public OrderStatus Stage { get; private set; }

    /// <summary>The published sequence for stage steps; null for assignments and cancellations.</summary>
    public int? Sequence { get; private set; }

    public Guid ById { get; private set; }
    public string ByName { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public string? Reason { get; private set; }
}
