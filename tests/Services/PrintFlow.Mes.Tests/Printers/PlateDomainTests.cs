using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;

namespace PrintFlow.Mes.Tests.Printers;

/// <summary>Which jobs share a build plate, and how a plate settles, as domain types without a host.</summary>
public sealed class PlateDomainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly MesAccount _olivia = new(Guid.NewGuid(), "olivia@printflow.local", "Olivia", Roles.Operator, "", ["PLA", "PETG", "ABS"]);

    private static ManufacturingJob Job(double size = 20, string material = "PLA", string? colour = null, int quantity = 1, bool sized = true)
    {
        var request = Jobs.Request(material: material, requestedAt: T0, quantity: quantity, size: sized ? new PartSize(size, size, size) : null);
        return ManufacturingJob.Create(request with { Items = [request.Items[0] with { Colour = colour }] }, T0).Job;
    }

    private static IReadOnlyList<ManufacturingJob> Compose(Printer printer, ManufacturingJob lead, params ManufacturingJob[] queue) =>
        PlateComposer.Compose(printer, lead, queue, marginMm: 5, fill: 0.5, maxJobs: 6);

    [Fact]
    public void Compose_WhenSmallCompatibleJobsWait_PutsThemOnThePlateInQueueOrder()
    {
        var printer = PrinterDomainTests.NewPrinter(colour: "Black");
        var lead = Job(colour: "Black");
        var second = Job(colour: "black");
        var third = Job(colour: null);

        var plate = Compose(printer, lead, second, third);

        Assert.Equal([lead, second, third], plate);
    }

    [Fact]
    public void Compose_WhenJobsDifferInMaterialOrColourOrDoNotFit_LeavesThemInTheQueue()
    {
        var printer = PrinterDomainTests.NewPrinter(colour: "Black");
        var lead = Job(colour: "Black");

        var plate = Compose(printer, lead, Job(material: "PETG"), Job(colour: "Red"), Job(size: 230));

        Assert.Equal([lead], plate);
    }

    [Fact]
    public void Compose_WhenTheLeadIsLargeOrOfUnknownSize_PrintsItAlone()
    {
        var printer = PrinterDomainTests.NewPrinter();

        Assert.Single(Compose(printer, Job(size: 150), Job(), Job()));
        Assert.Single(Compose(printer, Job(sized: false), Job(), Job()));
    }

    [Fact]
    public void Compose_WhenTheBedOrTheJobLimitIsFull_StopsThere()
    {
        var printer = PrinterDomainTests.NewPrinter(x: 100, y: 100); // 90 × 90 usable, half of it for parts: 4050 mm²
        var lead = Job(size: 30); // 36 × 36 with spacing = 1296 mm²
        var queue = Enumerable.Range(0, 5).Select(_ => Job(size: 30)).ToArray();

        Assert.Equal(3, Compose(printer, lead, queue).Count); // 3 × 1296 fits 4050, a fourth does not
        Assert.Equal(2, PlateComposer.Compose(PrinterDomainTests.NewPrinter(), lead, queue, 5, 0.5, maxJobs: 2).Count);
    }

    [Fact]
    public void StartPrintOn_WhenJobsShareAPlate_EachItemRecordsThePlateAndPrinterUntilAFailureTakesThemOff()
    {
        var printer = PrinterDomainTests.NewPrinter();
        var (lead, second) = (Job(), Job());
        lead.Take(_olivia, 0, 3, T0);
        second.JoinPlate(_olivia, T0);
        var plateId = Guid.NewGuid();
        foreach (var job in new[] { lead, second })
        {
            job.StartPrintOn(printer, plateId, _olivia.AsActor(), T0);
        }

        var plate = Plate.Start(plateId, printer, [lead, second], 1.2, T0);

        Assert.Equal((2, 2), (plate.JobCount, plate.PartCount));
        Assert.All(new[] { lead, second }.SelectMany(j => j.Items), i => Assert.Equal((plateId, "MK4-1"), (i.PlateId, i.PrinterName)));
        plate.Fail("MK4-1 reported an error mid-print: thermal runaway.", T0.AddHours(1));
        Assert.True(second.ReturnToQueue(plateId, plate.Reason!, T0.AddHours(1)));
        Assert.Null(Assert.Single(second.Items).PlateId);
        Assert.Equal(PlateState.Failed, plate.State);
        Assert.Equal("plate.settled", Assert.Throws<JobRuleException>(() => plate.Finish(T0.AddHours(2))).Code);
    }

    [Fact]
    public void JoinPlate_WhenTheJobIsAlreadySomeonesOrTheMaterialIsNotTheirs_IsRefused()
    {
        var taken = Job();
        taken.Take(_olivia, 0, 3, T0);
        var resin = Job(material: "Resin");

        Assert.Equal("job.not-waiting", Assert.Throws<JobRuleException>(() => taken.JoinPlate(_olivia, T0)).Code);
        Assert.Throws<JobRuleException>(() => resin.JoinPlate(_olivia, T0));
    }

    [Fact]
    public void Start_WhenAJobIsInAnotherMaterial_IsRefused()
    {
        var printer = PrinterDomainTests.NewPrinter();

        Assert.Equal("plate.mixed-material", Assert.Throws<JobRuleException>(() => Plate.Start(Guid.NewGuid(), printer, [Job(), Job(material: "PETG")], 1, T0)).Code);
    }
}
