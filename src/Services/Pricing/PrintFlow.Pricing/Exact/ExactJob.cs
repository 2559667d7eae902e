using PrintFlow.Contracts;

namespace PrintFlow.Pricing.Exact;

public enum ExactJobState
{
    Pending,
    Running,
    Done,
    Failed,
}

/// <summary>
/// An estimate waiting to be refined by the slicer. Written in the same transaction as its PriceCalculated, so it
/// survives restarts; a worker claims it with a lease, so a worker that dies mid-slice gives it back to the others.
/// </summary>
public sealed class ExactJob
{
    /// <summary>The estimate's quote id, which the refined quote replaces.</summary>
    public Guid EstimateQuoteId { get; set; }
    public Guid OrderId { get; set; }
    /// <summary>The PriceRequested that produced the estimate: everything the slice and the new quote need.</summary>
    public required PriceRequested Request { get; set; }
    public ExactJobState State { get; set; }
    public int Attempts { get; set; }
    public Guid? ClaimedBy { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public Guid? RefinedQuoteId { get; set; }
    /// <summary>Why exact pricing failed (a <c>slicer.*</c> code and its sentence); the estimate stands.</summary>
    public string? FailureCode { get; set; }
    public string? FailureReason { get; set; }
}
