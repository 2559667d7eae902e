using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Tests.Support;

namespace PrintFlow.Mes.Tests.Domain;

public sealed class ManufacturingJobTests
{
    private const int WipLimit = 3;
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
    private static readonly Shipment Parcel = new("cdek", "1234567890", "https://www.cdek.ru/ru/tracking?order_id=1234567890", T0);
    private readonly MesAccount _olivia = new(Guid.NewGuid(), "olivia@printflow.local", "Olivia", Roles.Operator, "");
    private readonly MesAccount _oscar = new(Guid.NewGuid(), "oscar@printflow.local", "Oscar", Roles.Operator, "");
    private readonly MesAccount _sam = new(Guid.NewGuid(), "sam@printflow.local", "Sam", Roles.Supervisor, "");

    private static ManufacturingJob NewJob(out ManufacturingProgressed approved, LeadTime leadTime = LeadTime.Standard, DateTimeOffset? due = null)
    {
        (var job, approved) = ManufacturingJob.Create(Jobs.Request(leadTime: leadTime, dueDate: due, requestedAt: T0), T0);
        return job;
    }

    private ManufacturingJob JobAt(OrderStatus stage)
    {
        var job = NewJob(out _);
        if (stage == OrderStatus.ManufacturingApproved)
        {
            return job;
        }

        var olivia = _olivia.AsActor();
        job.Take(_olivia, 0, WipLimit, T0);
        job.StartPrinting(olivia, T0);
        if (stage == OrderStatus.Printing) return job;
        job.MoveToPostProcessing(olivia, T0);
        if (stage == OrderStatus.PostProcessing) return job;
        job.MoveToQualityCheck(olivia, T0);
        if (stage == OrderStatus.QualityCheck) return job;
        job.PassQualityCheck(olivia, T0);
        if (stage == OrderStatus.Packed) return job;
        job.Ship(olivia, Parcel, T0);
        if (stage == OrderStatus.Shipped) return job;
        job.MarkDelivered(olivia, T0);
        return job;
    }

    [Fact]
    public void Create_FromRequest_IsApprovedWithSequenceOneAndPublishesIt()
    {
        var request = Jobs.Request(leadTime: LeadTime.Express, customer: "Grace", channel: SalesChannel.Partner, requestedAt: T0);
        var (job, approved) = ManufacturingJob.Create(request, T0);

        Assert.Equal(OrderStatus.ManufacturingApproved, job.Stage);
        Assert.Equal(1, job.Sequence);
        Assert.Equal(new ManufacturingProgressed(request.OrderId, job.JobId, 1, OrderStatus.ManufacturingApproved, "PrintFlow", null, T0), approved);
        Assert.Equal(OrderNumber.From(request.OrderId), job.OrderNumber);
        Assert.Equal("Grace", job.CustomerName);
        Assert.Equal(SalesChannel.Partner, job.Channel);
        Assert.Equal(Priorities.Express, job.Priority);
        Assert.Equal(42.50m, job.QuoteTotal);
        Assert.Equal(T0 + Priorities.DefaultTurnaround(LeadTime.Express), job.DueBy);
        var item = Assert.Single(job.Items);
        Assert.Equal(("bracket.stl", "PLA", 2, new string('a', 64)), (item.FileName, item.Material, item.Quantity, item.ModelSha256));
        var step = Assert.Single(job.History);
        Assert.Equal((StepKind.Stage, OrderStatus.ManufacturingApproved, (int?)1), (step.Kind, step.Stage, step.Sequence));
        Assert.Equal(QueueRanks.Waiting, job.QueueRank);
    }

    [Fact]
    public void Create_WithDueDate_SortsByTheDueDate()
    {
        var due = T0.AddDays(2);
        var job = NewJob(out _, due: due);
        Assert.Equal(due, job.DueDate);
        Assert.Equal(due, job.DueBy);
    }

    [Fact]
    public void Steps_WhenAllLegal_WalkToDeliveredWithSequencesGrowingByOneAndHistory()
    {
        var job = NewJob(out _);
        var olivia = _olivia.AsActor();
        job.Take(_olivia, 0, WipLimit, T0.AddMinutes(1));
        Assert.Equal(_olivia.Id, job.AssignedToId);
        Assert.Equal(QueueRanks.InProgress, job.QueueRank);
        Assert.Equal(1, job.Sequence); // taking is not a stage: nothing is published

        var events = new List<ManufacturingProgressed>
        {
            job.StartPrinting(olivia, T0.AddMinutes(2)),
            job.MoveToPostProcessing(olivia, T0.AddMinutes(3)),
            job.MoveToQualityCheck(olivia, T0.AddMinutes(4)),
            job.PassQualityCheck(olivia, T0.AddMinutes(5)),
            job.Ship(olivia, Parcel, T0.AddMinutes(6)),
            job.MarkDelivered(olivia, T0.AddMinutes(7)),
        };

        Assert.Equal(
            [OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered],
            events.Select(e => e.Stage));
        Assert.Equal([2, 3, 4, 5, 6, 7], events.Select(e => e.Sequence));
        Assert.All(events, e => Assert.Equal("Olivia", e.By));
        Assert.All(events, e => Assert.Equal(job.JobId, e.JobId));
        Assert.Equal(OrderStatus.Delivered, job.Stage);
        Assert.Equal(QueueRanks.Finished, job.QueueRank);
        Assert.Equal(
            [StepKind.Stage, StepKind.Taken, StepKind.Stage, StepKind.Stage, StepKind.Stage, StepKind.Stage, StepKind.Stage, StepKind.Stage],
            job.History.Select(s => s.Kind));
        Assert.Equal(T0.AddMinutes(7), job.History[^1].At);
        Assert.Equal(_olivia.Id, job.History[^1].ById);
    }

    [Fact]
    public void FailQualityCheck_WithReason_GoesBackToPrintingWithTheReason()
    {
        var job = JobAt(OrderStatus.QualityCheck);
        var failed = job.FailQualityCheck(_olivia.AsActor(), "  layer shift on the left wall ", T0);

        Assert.Equal(OrderStatus.Printing, job.Stage);
        Assert.Equal((OrderStatus.Printing, 5, "layer shift on the left wall"), (failed.Stage, failed.Sequence, failed.Reason));
        Assert.Equal("layer shift on the left wall", job.History[^1].Reason);
        // and the reprint goes round again
        Assert.Equal(6, job.MoveToPostProcessing(_olivia.AsActor(), T0).Sequence);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void FailQualityCheck_WithoutReason_Throws(string? reason)
    {
        var job = JobAt(OrderStatus.QualityCheck);
        var refusal = Assert.Throws<JobRuleException>(() => job.FailQualityCheck(_olivia.AsActor(), reason, T0));
        Assert.Equal("job.qc-reason-required", refusal.Code);
        Assert.Equal(OrderStatus.QualityCheck, job.Stage);
    }

    public static TheoryData<OrderStatus, string> IllegalSteps()
    {
        var data = new TheoryData<OrderStatus, string>();
        var legal = new Dictionary<string, OrderStatus>
        {
            ["print"] = OrderStatus.ManufacturingApproved,
            ["post"] = OrderStatus.Printing,
            ["qc"] = OrderStatus.PostProcessing,
            ["pass"] = OrderStatus.QualityCheck,
            ["fail"] = OrderStatus.QualityCheck,
            ["ship"] = OrderStatus.Packed,
            ["deliver"] = OrderStatus.Shipped,
        };
        OrderStatus[] stages =
        [
            OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck,
            OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered,
        ];
        foreach (var stage in stages)
        {
            foreach (var (step, from) in legal)
            {
                if (from != stage)
                {
                    data.Add(stage, step);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalSteps))]
    public void Step_WhenNotLegalInTheStage_ThrowsAndChangesNothing(OrderStatus stage, string step)
    {
        var job = JobAt(stage);
        var sequence = job.Sequence;
        var history = job.History.Count;
        var olivia = _olivia.AsActor();

        var refusal = Assert.Throws<JobRuleException>(() => _ = step switch
        {
            "print" => job.StartPrinting(olivia, T0),
            "post" => job.MoveToPostProcessing(olivia, T0),
            "qc" => job.MoveToQualityCheck(olivia, T0),
            "pass" => job.PassQualityCheck(olivia, T0),
            "fail" => job.FailQualityCheck(olivia, "warped", T0),
            "ship" => job.Ship(olivia, Parcel, T0),
            "deliver" => job.MarkDelivered(olivia, T0),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        });

        Assert.Contains(job.OrderNumber, refusal.Message, StringComparison.Ordinal);
        Assert.Equal((stage, sequence, history), (job.Stage, job.Sequence, job.History.Count));
    }

    [Fact]
    public void StartPrinting_WhenNotTaken_Throws()
    {
        var job = NewJob(out _);
        Assert.Equal("job.not-taken", Assert.Throws<JobRuleException>(() => job.StartPrinting(_olivia.AsActor(), T0)).Code);
    }

    [Fact]
    public void Take_WhenAlreadyTaken_Throws()
    {
        var job = NewJob(out _);
        job.Take(_olivia, 0, WipLimit, T0);
        var refusal = Assert.Throws<JobRuleException>(() => job.Take(_oscar, 0, WipLimit, T0));
        Assert.Equal("job.taken", refusal.Code);
        Assert.Contains("Olivia", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(_olivia.Id, job.AssignedToId);
    }

    [Fact]
    public void Take_WhenAtTheWipLimit_Throws()
    {
        var job = NewJob(out _);
        var refusal = Assert.Throws<JobRuleException>(() => job.Take(_olivia, WipLimit, WipLimit, T0));
        Assert.Equal("job.wip-limit", refusal.Code);
        Assert.Null(job.AssignedToId);
    }

    [Fact]
    public void Take_WhenPrintingStarted_Throws()
    {
        var job = JobAt(OrderStatus.Printing);
        Assert.Equal("job.not-waiting", Assert.Throws<JobRuleException>(() => job.Take(_oscar, 0, WipLimit, T0)).Code);
    }

    [Fact]
    public void Step_ByAnotherOperator_ThrowsButASupervisorMay()
    {
        var job = JobAt(OrderStatus.Printing);
        Assert.Equal("job.not-yours", Assert.Throws<JobRuleException>(() => job.MoveToPostProcessing(_oscar.AsActor(), T0)).Code);

        var moved = job.MoveToPostProcessing(_sam.AsActor(), T0);
        Assert.Equal(("Sam", OrderStatus.PostProcessing), (moved.By, moved.Stage));
    }

    [Fact]
    public void Reassign_BySupervisor_MovesTheJobAndRecordsIt()
    {
        var job = JobAt(OrderStatus.Printing);
        job.Reassign(_oscar, 0, WipLimit, _sam.AsActor(), T0);
        Assert.Equal((_oscar.Id, "Oscar"), (job.AssignedToId!.Value, job.AssignedToName));
        Assert.Equal((StepKind.Reassigned, "from Olivia to Oscar"), (job.History[^1].Kind, job.History[^1].Reason));
        Assert.Equal(2, job.Sequence);
    }

    [Fact]
    public void Reassign_ByOperator_Throws()
    {
        var job = JobAt(OrderStatus.Printing);
        Assert.Equal("job.reassign-forbidden", Assert.Throws<JobRuleException>(() => job.Reassign(_oscar, 0, WipLimit, _olivia.AsActor(), T0)).Code);
    }

    [Fact]
    public void Reassign_ToSomeoneAtTheWipLimit_Throws()
    {
        var job = JobAt(OrderStatus.Printing);
        Assert.Equal("job.wip-limit", Assert.Throws<JobRuleException>(() => job.Reassign(_oscar, WipLimit, WipLimit, _sam.AsActor(), T0)).Code);
    }

    [Fact]
    public void Cancel_BeforePrinting_LeavesTheQueue()
    {
        var job = NewJob(out _);
        job.Take(_olivia, 0, WipLimit, T0);
        job.Cancel("customer changed their mind", T0);
        Assert.Equal(OrderStatus.Cancelled, job.Stage);
        Assert.Equal(QueueRanks.Cancelled, job.QueueRank);
        Assert.Equal((StepKind.Cancelled, "customer changed their mind"), (job.History[^1].Kind, job.History[^1].Reason));
        Assert.Throws<JobRuleException>(() => job.StartPrinting(_olivia.AsActor(), T0));
    }

    [Fact]
    public void Cancel_AfterPrintingStarted_Throws()
    {
        var job = JobAt(OrderStatus.Printing);
        Assert.Equal("job.cancel-too-late", Assert.Throws<JobRuleException>(() => job.Cancel("too late", T0)).Code);
        Assert.Equal(OrderStatus.Printing, job.Stage);
    }

    [Fact]
    public void ItemsAndHistory_WhenReadFromOutside_CannotBeChanged()
    {
        var job = NewJob(out _);

        Assert.False(job.Items is List<JobItem>);
        Assert.False(job.History is List<JobStep>);
        Assert.Throws<NotSupportedException>(() => ((ICollection<JobItem>)job.Items).Clear());
        Assert.Throws<NotSupportedException>(() => ((ICollection<JobStep>)job.History).Clear());
        Assert.NotEmpty(job.Items);
    }
}
