using PrintFlow.Contracts;

namespace PrintFlow.Mes.Domain;

/// <summary>The part of the order lifecycle that happens on the factory floor, and how the queue ranks it.</summary>
public static class JobStages
{
    public static readonly OrderStatus[] All =
    [
        OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck,
        OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Cancelled,
    ];

    /// <summary>
    /// Stages that occupy an operator's work-in-progress slot: from taking a job until it is packed. Packing
    /// frees the slot; shipping and delivery are dispatch work that does not tie up a printer operator.
    /// </summary>
    public static readonly OrderStatus[] WorkInProgress =
    [
        OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck,
    ];

    /// <summary>Waiting (approved, not taken) first, then everything in progress, then finished, then cancelled.</summary>
    public static int QueueRank(OrderStatus stage, bool assigned) => stage switch
    {
        OrderStatus.ManufacturingApproved when !assigned => QueueRanks.Waiting,
        OrderStatus.Delivered => QueueRanks.Finished,
        OrderStatus.Cancelled => QueueRanks.Cancelled,
        _ => QueueRanks.InProgress,
    };

    public static bool IsStage(OrderStatus status) => Array.IndexOf(All, status) >= 0;
}

public static class QueueRanks
{
    public const int Waiting = 0;
    public const int InProgress = 1;
    public const int Finished = 2;
    public const int Cancelled = 3;
}

/// <summary>Express before Standard: the lower number is the more urgent.</summary>
public static class Priorities
{
    public const int Express = 0;
    public const int Standard = 1;

    public static int Of(LeadTime leadTime) => leadTime == LeadTime.Express ? Express : Standard;

    public static LeadTime ToLeadTime(int priority) => priority == Express ? LeadTime.Express : LeadTime.Standard;

    /// <summary>When no due date was given, the job is due this long after it was requested.</summary>
    public static TimeSpan DefaultTurnaround(LeadTime leadTime) =>
        leadTime == LeadTime.Express ? TimeSpan.FromDays(3) : TimeSpan.FromDays(10);
}
