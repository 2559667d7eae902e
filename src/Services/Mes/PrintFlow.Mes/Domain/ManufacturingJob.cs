using System.Text.Json;
using PrintFlow.Contracts;
using PrintFlow.Mes.Printers;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Domain;

/// <summary>
/// One order on the factory floor. Every change goes through a method that either makes a legal move or throws
/// <see cref="JobRuleException"/>; each stage move records who and when, bumps <see cref="Sequence"/> and returns
/// the <see cref="ManufacturingProgressed"/> to publish with it.
/// </summary>
public sealed class ManufacturingJob
{
    private readonly List<JobItem> _items = [];
    private readonly List<JobStep> _history = [];

    private ManufacturingJob() { }

    public long Id { get; private set; }
    public Guid JobId { get; private set; }
    public Guid OrderId { get; private set; }
    public string OrderNumber { get; private set; } = "";
    public string CustomerName { get; private set; } = "";
    public SalesChannel Channel { get; private set; }
    public LeadTime LeadTime { get; private set; }

    /// <summary>0 = Express, 1 = Standard, so the more urgent sorts first.</summary>
    public int Priority { get; private set; }

    /// <summary>The due date the customer asked for, if any.</summary>
    public DateTimeOffset? DueDate { get; private set; }

    /// <summary>What the queue sorts by: the due date, or the lead time's turnaround when none was given.</summary>
    public DateTimeOffset DueBy { get; private set; }

    public decimal QuoteTotal { get; private set; }
    public string Currency { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public OrderStatus Stage { get; private set; }
    public int QueueRank { get; private set; }
    public int Sequence { get; private set; }
    public DateTimeOffset StageChangedAt { get; private set; }

    public Guid? AssignedToId { get; private set; }
    public string? AssignedToName { get; private set; }
    public DateTimeOffset? AssignedAt { get; private set; }

    public string? CancelReason { get; private set; }

    /// <summary>Where the parcel goes, as the order carried it; null for orders placed without an address.</summary>
    public string? ShipToJson { get; private set; }

    /// <summary>The carrier's code, its tracking number and page, set by "Ship".</summary>
    public string? Carrier { get; private set; }

    public string? TrackingNumber { get; private set; }
    public string? TrackingUrl { get; private set; }
    public DateTimeOffset? ShippedAt { get; private set; }

    /// <summary>Waiting for a printer: from arrival until a print starts, and again after a print failed.</summary>
    public bool AwaitingPrinter { get; private set; } = true;

    /// <summary>The printer printing it now, or the one that printed it.</summary>
    public Guid? PrinterId { get; private set; }

    public string? PrinterName { get; private set; }

    /// <summary>The print (one job, or a plate of several) it is on now or was made by.</summary>
    public Guid? PrintId { get; private set; }

    /// <summary>How many prints were started for it (more than one: a print failed and it went back to the queue).</summary>
    public int PrintAttempts { get; private set; }

    /// <summary>Why no printer of the farm can print it, when none can; null otherwise.</summary>
    public string? UnschedulableReason { get; private set; }

    public ShippingAddress? ShipTo => ShipToJson is null ? null : JsonSerializer.Deserialize<ShippingAddress>(ShipToJson, MessageSerializer.Options);

    public Shipment? Shipment => Carrier is null || TrackingNumber is null || ShippedAt is null
        ? null
        : new Shipment(Carrier, TrackingNumber, TrackingUrl, ShippedAt.Value);

    /// <summary>Concurrency token: bumped by every change, so two people cannot both move or take the job.</summary>
    public int Version { get; private set; }

    public IReadOnlyList<JobItem> Items => _items.AsReadOnly();
    public IReadOnlyList<JobStep> History => _history.AsReadOnly();

    public bool IsAssigned => AssignedToId is not null;

    public static (ManufacturingJob Job, ManufacturingProgressed Approved) Create(ManufacturingRequested request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Items.Count == 0)
        {
            throw new JobRuleException("job.no-items", "A manufacturing job needs at least one item to print.");
        }

        var requestedAt = request.RequestedAt == default ? now : request.RequestedAt;
        var job = new ManufacturingJob
        {
            JobId = Guid.CreateVersion7(now),
            OrderId = request.OrderId,
            OrderNumber = Contracts.OrderNumber.From(request.OrderId),
            CustomerName = request.Customer.Name,
            Channel = request.Customer.Channel,
            LeadTime = request.LeadTime,
            Priority = Priorities.Of(request.LeadTime),
            DueDate = request.DueDate,
            DueBy = request.DueDate ?? requestedAt + Priorities.DefaultTurnaround(request.LeadTime),
            QuoteTotal = request.Quote.Amount,
            Currency = request.Quote.Currency,
            CreatedAt = now,
            ShipToJson = request.ShipTo is null ? null : JsonSerializer.Serialize(request.ShipTo, MessageSerializer.Options),
        };
        foreach (var item in request.Items)
        {
            var quoted = request.Quote.Items.FirstOrDefault(q => q.ItemId == item.ItemId);
            job._items.Add(new JobItem(item.ItemId, item.FileName, item.Material, item.Quantity, item.ModelSha256, item.SizeBytes)
                .WithPrintFacts(quoted?.SizeMm, item.Colour, quoted?.PrintTimeHours));
        }

        var approved = job.MoveTo(OrderStatus.ManufacturingApproved, Actor.System, now, reason: null);
        return (job, approved);
    }

    /// <summary>
    /// Assigns the job to <paramref name="taker"/>, who already holds <paramref name="jobsInProgress"/> jobs.
    /// </summary>
    public void Take(MesAccount taker, int jobsInProgress, int wipLimit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(taker);
        if (Stage != OrderStatus.ManufacturingApproved && !(Stage == OrderStatus.Printing && AwaitingPrinter && AssignedToId is null))
        {
            throw new JobRuleException("job.not-waiting", Texts.Get<MesStrings>("Job.NotWaiting", OrderNumber, Describe(Stage)));
        }

        if (AssignedToId == taker.Id)
        {
            throw new JobRuleException("job.already-yours", Texts.Get<MesStrings>("Job.AlreadyYours", OrderNumber));
        }

        if (AssignedToId is not null)
        {
            throw new JobRuleException("job.taken", Texts.Get<MesStrings>("Job.Taken", OrderNumber, AssignedToName));
        }

        EnsureSkilled(taker);
        EnsureCapacity(taker, jobsInProgress, wipLimit);
        Assign(taker, now);
        Record(new JobStep(StepKind.Taken, Stage, null, taker.AsActor(), now, null));
    }

    /// <summary>A supervisor gives the job to someone else (for example when its operator went home).</summary>
    /// <summary>
    /// Taken with another job onto one build plate: the plate is one piece of work for its operator, so the work-in-progress
    /// limit is counted for the plate's first job only.
    /// </summary>
    public void JoinPlate(MesAccount taker, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(taker);
        if (Stage != OrderStatus.ManufacturingApproved && !(Stage == OrderStatus.Printing && AwaitingPrinter) || AssignedToId is not null)
        {
            throw new JobRuleException("job.not-waiting", $"Order {OrderNumber} is no longer waiting in the queue, so it cannot join a plate.");
        }

        EnsureSkilled(taker);
        Assign(taker, now);
        Record(new JobStep(StepKind.Taken, Stage, null, taker.AsActor(), now, "with other orders on one plate"));
    }

    public void Reassign(MesAccount to, int jobsInProgress, int wipLimit, Actor by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(by);
        if (!by.IsSupervisor)
        {
            throw new JobRuleException("job.reassign-forbidden", Texts.Get<MesStrings>("Job.ReassignForbidden"));
        }

        if (Stage is OrderStatus.Delivered or OrderStatus.Cancelled)
        {
            throw new JobRuleException("job.closed", Texts.Get<MesStrings>("Job.Closed", OrderNumber, Describe(Stage)));
        }

        if (AssignedToId == to.Id)
        {
            throw new JobRuleException("job.same-assignee", Texts.Get<MesStrings>("Job.SameAssignee", OrderNumber, to.Name));
        }

        EnsureSkilled(to);
        if (Array.IndexOf(JobStages.WorkInProgress, Stage) >= 0)
        {
            EnsureCapacity(to, jobsInProgress, wipLimit);
        }

        var from = AssignedToName;
        Assign(to, now);
        Record(new JobStep(StepKind.Reassigned, Stage, null, by, now, from is null ? $"to {to.Name}" : $"from {from} to {to.Name}"));
    }

    public ManufacturingProgressed StartPrinting(Actor by, DateTimeOffset now)
    {
        Require(OrderStatus.ManufacturingApproved, "start-printing");
        if (AssignedToId is null)
        {
            throw new JobRuleException("job.not-taken", Texts.Get<MesStrings>("Job.NotTaken", OrderNumber));
        }

        EnsureHandledBy(by);
        return MoveTo(OrderStatus.Printing, by, now, null);
    }

    public ManufacturingProgressed MoveToPostProcessing(Actor by, DateTimeOffset now)
    {
        Require(OrderStatus.Printing, "post-processing");
        EnsureHandledBy(by);
        return MoveTo(OrderStatus.PostProcessing, by, now, null);
    }

    public ManufacturingProgressed MoveToQualityCheck(Actor by, DateTimeOffset now)
    {
        Require(OrderStatus.PostProcessing, "quality-check");
        EnsureHandledBy(by);
        return MoveTo(OrderStatus.QualityCheck, by, now, null);
    }

    public ManufacturingProgressed PassQualityCheck(Actor by, DateTimeOffset now)
    {
        Require(OrderStatus.QualityCheck, "qc-pass");
        EnsureHandledBy(by);
        return MoveTo(OrderStatus.Packed, by, now, null);
    }

    /// <summary>A failed check sends the job back to printing; the reason tells the printer what to fix.</summary>
    public ManufacturingProgressed FailQualityCheck(Actor by, string? reason, DateTimeOffset now)
    {
        Require(OrderStatus.QualityCheck, "qc-fail");
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new JobRuleException("job.qc-reason-required", Texts.Get<MesStrings>("Job.QcReasonRequired"));
        }

        EnsureHandledBy(by);
        AwaitingPrinter = true; // the reprint needs a printer again
        return MoveTo(OrderStatus.Printing, by, now, reason.Trim());
    }

    /// <summary>Hands the parcel to <paramref name="shipment"/>'s carrier; the Shipped step carries the tracking to Ordering.</summary>
    public ManufacturingProgressed Ship(Actor by, Shipment? shipment, DateTimeOffset now)
    {
        Require(OrderStatus.Packed, "ship");
        if (shipment is null)
        {
            throw new JobRuleException("shipping.carrier-required",
                Texts.Get<MesStrings>("Job.CarrierRequired"));
        }

        Carrier = shipment.Carrier;
        TrackingNumber = shipment.TrackingNumber;
        TrackingUrl = shipment.TrackingUrl;
        ShippedAt = shipment.ShippedAt;
        return MoveTo(OrderStatus.Shipped, by, now, null) with { Shipment = shipment };
    }

    public ManufacturingProgressed MarkDelivered(Actor by, DateTimeOffset now)
    {
        Require(OrderStatus.Shipped, "deliver");
        return MoveTo(OrderStatus.Delivered, by, now, null);
    }

    /// <summary>Ordering withdrew the order. Only a job that has not started printing can leave the floor.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        if (Stage != OrderStatus.ManufacturingApproved)
        {
            throw new JobRuleException("job.cancel-too-late", Texts.Get<MesStrings>("Job.CancelTooLate", OrderNumber, Describe(Stage)));
        }

        Stage = OrderStatus.Cancelled;
        CancelReason = string.IsNullOrWhiteSpace(reason) ? "Cancelled" : reason.Trim();
        StageChangedAt = now;
        Touch();
        Record(new JobStep(StepKind.Cancelled, Stage, null, Actor.System, now, CancelReason));
    }

    public bool CanStillBeCancelled => Stage == OrderStatus.ManufacturingApproved;

    /// <summary>
    /// The job goes on <paramref name="printer"/> as (part of) print <paramref name="printId"/>. The first print moves it to
    /// Printing (published); a reprint after a failed print is already Printing and publishes nothing.
    /// </summary>
    public ManufacturingProgressed? StartPrintOn(Printer printer, Guid printId, Actor by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(by);
        if (!AwaitingPrinter || Stage is not (OrderStatus.ManufacturingApproved or OrderStatus.Printing))
        {
            throw new JobRuleException("job.not-waiting", Texts.Get<MesStrings>("Job.NotWaitingForPrinter", OrderNumber, Describe(Stage)));
        }

        EnsureHandledBy(by);
        AwaitingPrinter = false;
        PrinterId = printer.PrinterId;
        PrinterName = printer.Name;
        PrintId = printId;
        PrintAttempts++;
        foreach (var item in _items)
        {
            item.PlacedOn(printId, printer.Name);
        }

        UnschedulableReason = null;
        Record(new JobStep(StepKind.PrintStarted, Stage, null, by, now, $"on {printer.Name}"));
        if (Stage == OrderStatus.Printing)
        {
            Touch();
            return null;
        }

        return MoveTo(OrderStatus.Printing, by, now, null);
    }

    /// <summary>The printer finished print <paramref name="printId"/>: the job moves on to post-processing by itself.</summary>
    public ManufacturingProgressed? PrintFinished(Guid printId, DateTimeOffset now)
    {
        if (Stage != OrderStatus.Printing || AwaitingPrinter || PrintId != printId)
        {
            return null; // already moved on by a person, or reported twice
        }

        return MoveTo(OrderStatus.PostProcessing, new Actor(Guid.Empty, PrinterName ?? "printer", IsSupervisor: false), now, null);
    }

    /// <summary>Print <paramref name="printId"/> failed or was refused: back to the queue for any printer, with the reason.</summary>
    public bool ReturnToQueue(Guid printId, string reason, DateTimeOffset now)
    {
        if (Stage != OrderStatus.Printing && Stage != OrderStatus.ManufacturingApproved || AwaitingPrinter || PrintId != printId)
        {
            return false;
        }

        AwaitingPrinter = true;
        PrinterId = null;
        PrinterName = null;
        PrintId = null;
        foreach (var item in _items)
        {
            item.TakenOffPlate(); // this plate did not make it
        }

        AssignedToId = null;
        AssignedToName = null;
        AssignedAt = null;
        Touch();
        Record(new JobStep(StepKind.Requeued, Stage, null, Actor.System, now, reason));
        return true;
    }

    /// <summary>No printer of the farm can print this job: it is flagged with the reason (once) and Ordering is told.</summary>
    public ManufacturingUnschedulable? FlagUnschedulable(string reason, DateTimeOffset now)
    {
        if (UnschedulableReason == reason)
        {
            return null;
        }

        UnschedulableReason = reason;
        Touch();
        Record(new JobStep(StepKind.Unschedulable, Stage, null, Actor.System, now, reason));
        return new ManufacturingUnschedulable(OrderId, JobId, reason, now);
    }

    public void ClearUnschedulable()
    {
        if (UnschedulableReason is not null)
        {
            UnschedulableReason = null;
            Touch();
        }
    }

    private ManufacturingProgressed MoveTo(OrderStatus stage, Actor by, DateTimeOffset now, string? reason)
    {
        Stage = stage;
        Sequence++;
        StageChangedAt = now;
        Touch();
        Record(new JobStep(StepKind.Stage, stage, Sequence, by, now, reason));
        return new ManufacturingProgressed(OrderId, JobId, Sequence, stage, by.Name, reason, now);
    }

    private void Assign(MesAccount to, DateTimeOffset now)
    {
        to.ReserveSlot();
        AssignedToId = to.Id;
        AssignedToName = to.Name;
        AssignedAt = now;
        Touch();
    }

    private void Touch()
    {
        Version++;
        QueueRank = AwaitingPrinter && Stage == OrderStatus.Printing && AssignedToId is null
            ? QueueRanks.Waiting
            : JobStages.QueueRank(Stage, AssignedToId is not null);
    }

    private void Record(JobStep step) => _history.Add(step);

    private void Require(OrderStatus expected, string action)
    {
        if (Stage != expected)
        {
            throw new JobRuleException(
                "job.illegal-step",
                Texts.Get<MesStrings>("Job.IllegalStep", OrderNumber, Describe(Stage), Describe(expected), Texts.Get<MesStrings>($"Job.Step.{action}")));
        }
    }

    private void EnsureHandledBy(Actor by)
    {
        if (AssignedToId is { } assignee && assignee != by.Id && !by.IsSupervisor)
        {
            throw new JobRuleException("job.not-yours", Texts.Get<MesStrings>("Job.NotYours", OrderNumber, AssignedToName));
        }
    }

    /// <summary>The materials of this job's items (loaded with the job), in the floor's order.</summary>
    public IReadOnlyList<string> MaterialsNeeded =>
        _items.Select(i => i.Material).Distinct(StringComparer.Ordinal).OrderBy(m => Materials.All.ToList().IndexOf(m)).ToList();

    private void EnsureSkilled(MesAccount who)
    {
        var missing = MaterialsNeeded.Where(m => !who.CanRun(m)).ToList();
        if (missing.Count > 0)
        {
            throw new JobRuleException(
                "job.skills",
                Texts.Get<MesStrings>("Job.Skills", OrderNumber, string.Join(", ", missing), who.Name, SkillsOf(who)));
        }
    }

    internal static string SkillsOf(MesAccount who) => who.SkillList.Count == 0 ? Texts.Get<MesStrings>("Queue.NoSkills") : string.Join(", ", who.SkillList);

    private static void EnsureCapacity(MesAccount who, int jobsInProgress, int wipLimit)
    {
        if (jobsInProgress >= wipLimit)
        {
            throw new JobRuleException(
                "job.wip-limit",
                Texts.Get<MesStrings>("Job.WipLimit", who.Name, jobsInProgress, wipLimit));
        }
    }

    private static string Describe(OrderStatus stage) =>
        Texts.Find<MesStrings>($"Job.Stage.{stage}") ?? OrderStatusWords.ForOperator(stage);
}
