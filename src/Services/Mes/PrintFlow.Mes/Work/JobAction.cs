using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Work;

/// <summary>An operator's step on a job, as posted by a form: its URL slug, its button, the stage it leads to.</summary>
public sealed record JobAction(string Slug, string Label, OrderStatus From, string TestId)
{
    public static readonly JobAction StartPrinting = new("start-printing", "Start printing", OrderStatus.ManufacturingApproved, "job-action-Printing");
    public static readonly JobAction ToPostProcessing = new("post-processing", "To post-processing", OrderStatus.Printing, "job-action-PostProcessing");
    public static readonly JobAction ToQualityCheck = new("quality-check", "To quality check", OrderStatus.PostProcessing, "job-action-QualityCheck");
    public static readonly JobAction PassQualityCheck = new("qc-pass", "QC pass", OrderStatus.QualityCheck, "job-action-Packed");
    public static readonly JobAction FailQualityCheck = new("qc-fail", "QC fail", OrderStatus.QualityCheck, "job-action-QcFail");
    public static readonly JobAction Ship = new("ship", "Ship", OrderStatus.Packed, "job-action-Shipped");
    public static readonly JobAction Deliver = new("deliver", "Mark delivered", OrderStatus.Shipped, "job-action-Delivered");

    public static readonly IReadOnlyList<JobAction> All =
        [StartPrinting, ToPostProcessing, ToQualityCheck, PassQualityCheck, FailQualityCheck, Ship, Deliver];

    public static JobAction? FromSlug(string slug) => All.FirstOrDefault(a => a.Slug == slug);

    public static IEnumerable<JobAction> AvailableIn(OrderStatus stage) => All.Where(a => a.From == stage);

    /// <param name="shipment">The carrier and tracking number, for <see cref="Ship"/>.</param>
    public ManufacturingProgressed Apply(ManufacturingJob job, Actor by, string? reason, DateTimeOffset now, Shipment? shipment = null) => Slug switch
    {
        "start-printing" => job.StartPrinting(by, now),
        "post-processing" => job.MoveToPostProcessing(by, now),
        "quality-check" => job.MoveToQualityCheck(by, now),
        "qc-pass" => job.PassQualityCheck(by, now),
        "qc-fail" => job.FailQualityCheck(by, reason, now),
        "ship" => job.Ship(by, shipment, now),
        "deliver" => job.MarkDelivered(by, now),
        _ => throw new InvalidOperationException($"Unknown job action '{Slug}'."),
    };
}
