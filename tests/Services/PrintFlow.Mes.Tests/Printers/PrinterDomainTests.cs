using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;

namespace PrintFlow.Mes.Tests.Printers;

/// <summary>Printers' rules, fit and print settlement as domain types, without a host.</summary>
public sealed class PrinterDomainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private readonly MesAccount _olivia = new(Guid.NewGuid(), "olivia@printflow.local", "Olivia", Roles.Operator, "PLA,PETG,ABS");

    internal static Printer NewPrinter(string name = "MK4-1", string technology = "FDM", double x = 250, double y = 210, double z = 220,
        string? material = "PLA", string? colour = null) =>
        Printer.Add(new PrinterSpec(name, technology, "Prusa MK4", "0.20mm QUALITY", x, y, z, 0.4, material, colour),
            new Uri("http://192.168.1.20"), "protected", "…abcd", T0);

    private static PrinterStatus Status(PrinterLinkState state, double? progress = null, string? error = null) =>
        new(state, progress, progress is null ? null : TimeSpan.FromMinutes(10), "x.gcode", error is null ? null : PrinterErrorCodes.PrinterError, error);

    private static ManufacturingJob Job(double sizeX = 50, double sizeY = 40, double sizeZ = 30, string material = "PLA", string? colour = null)
    {
        var request = Jobs.Request(material: material, requestedAt: T0);
        var item = request.Items[0] with { Colour = colour };
        var quote = request.Quote with { Items = [request.Quote.Items[0] with { SizeMm = new PartSize(sizeX, sizeY, sizeZ) }] };
        return ManufacturingJob.Create(request with { Items = [item], Quote = quote }, T0).Job;
    }

    [Fact]
    public void NoteNotSliced_WithValuesTooLongToStore_KeepsOnlyTheEnglishAndANextPrintClearsIt()
    {
        var printer = NewPrinter();
        printer.Observe(Status(PrinterLinkState.Idle), T0, Grace);

        printer.NoteNotSliced("PrusaSlicer could not slice the model.", "exit", ["1", new string('Ж', 300), new string('Я', 300)]);

        Assert.Equal((PrinterErrorCodes.NotSliced, "PrusaSlicer could not slice the model.", null, null),
            (printer.ErrorCode, printer.ErrorMessage, printer.ErrorReason, printer.ErrorArguments));
        printer.NoteNotSliced("The model aaaa… is gone.", "model-gone", ["aaaa"]);
        Assert.Equal(("model-gone", "[\"aaaa\"]"), (printer.ErrorReason, printer.ErrorArguments));
        printer.BeginPrint(Guid.NewGuid(), "x.gcode", T0.AddMinutes(1));
        Assert.Equal((null, null, null, null), (printer.ErrorCode, printer.ErrorMessage, printer.ErrorReason, printer.ErrorArguments));
    }

    [Fact]
    public void Add_WhenTheLoadedMaterialNeedsTheOtherTechnology_IsRefused()
    {
        var refusal = Assert.Throws<JobRuleException>(() => NewPrinter(technology: "FDM", material: "Resin"));
        Assert.Equal("printer.material-technology", refusal.Code);
    }

    [Theory]
    [InlineData(0, 200, 200)]
    [InlineData(-1, 200, 200)]
    [InlineData(double.NaN, 200, 200)]
    [InlineData(200, 200, 5000)]
    public void Add_WhenTheBuildVolumeIsNonsense_IsRefused(double x, double y, double z)
    {
        var refusal = Assert.Throws<JobRuleException>(() => NewPrinter(x: x, y: y, z: z));
        Assert.Equal("printer.build-volume", refusal.Code);
    }

    [Fact]
    public void Add_WhenValid_StartsOfflineUntilItAnswers()
    {
        var printer = NewPrinter();
        Assert.Equal(PrinterState.Offline, printer.State);
        Assert.False(printer.CanTakeWork);
    }

    [Theory]
    [InlineData(200, 240, 100, true)] // turned about Z it fits the 250 × 210 bed with 5 mm each side
    [InlineData(241, 100, 100, false)] // 241 + 10 > 250
    [InlineData(100, 100, 216, false)] // 216 + 5 > 220
    public void Fits_WithAMargin_TurnsThePartButKeepsTheMargin(double x, double y, double z, bool fits) =>
        Assert.Equal(fits, NewPrinter().Fits(x, y, z, marginMm: 5));

    [Fact]
    public void WhyNoPrinter_WhenThePartIsLargerThanEveryBuildVolume_NamesThePartAndItsSize()
    {
        var job = Job(sizeX: 300, sizeY: 300, sizeZ: 300);
        var reason = PrinterFit.WhyNoPrinter([NewPrinter("A"), NewPrinter("B", x: 280, y: 280, z: 280)], job.Items, 5);
        Assert.Equal("Part bracket.stl (300 × 300 × 300 mm) does not fit the build volume of any FDM printer on the floor (with a 5 mm margin).", reason);
    }

    [Fact]
    public void WhyNoPrinter_WhenOnePrinterCouldHoldItWithOtherFilament_FlagsNothing()
    {
        var job = Job(material: "PETG");
        Assert.Null(PrinterFit.WhyNoPrinter([NewPrinter(material: "PLA")], job.Items, 5));
        Assert.Equal("MK4-1 has PLA loaded, the job needs PETG", PrinterFit.WhyNot(NewPrinter(material: "PLA"), job.Items, 5));
    }

    [Fact]
    public void WhyNoPrinter_WhenTheFarmHasNoPrinterOfTheTechnology_SaysSo()
    {
        var reason = PrinterFit.WhyNoPrinter([NewPrinter()], Job(material: "Resin").Items, 5);
        Assert.Equal("No SLA printer is on the floor, and the job needs Resin.", reason);
    }

    [Fact]
    public void WhyNoPrinter_WhenNoPrinterIsRegistered_FlagsNothing() =>
        Assert.Null(PrinterFit.WhyNoPrinter([], Job(sizeX: 5000).Items, 5));

    [Fact]
    public void WhyNot_WhenTheJobAsksForAnotherColour_NamesBoth() =>
        Assert.Equal("MK4-1 has Black loaded, the job needs Orange", PrinterFit.WhyNot(NewPrinter(colour: "Black"), Job(colour: "Orange").Items, 5));

    private (Printer Printer, ManufacturingJob Job, Guid PrintId) Printing()
    {
        var printer = NewPrinter();
        printer.Observe(Status(PrinterLinkState.Idle), T0, Grace);
        var job = Job();
        job.Take(_olivia, 0, 3, T0);
        var printId = Guid.NewGuid();
        printer.BeginPrint(printId, "a.gcode", T0);
        var progressed = job.StartPrintOn(printer, printId, _olivia.AsActor(), T0);
        Assert.Equal(OrderStatus.Printing, progressed!.Stage);
        printer.MarkUploaded(printId);
        return (printer, job, printId);
    }

    [Fact]
    public void Observe_WhenThePrinterGoesIdleAtTheEndOfOurFile_FinishesThePrintAndTheJobMovesToPostProcessing()
    {
        var (printer, job, printId) = Printing();
        Assert.Equal(PrintOutcome.None, printer.Observe(Status(PrinterLinkState.Printing, 0.5), T0.AddMinutes(1), Grace));
        Assert.Equal(0.5, printer.Progress);

        var outcome = printer.Observe(Status(PrinterLinkState.Idle, 1.0), T0.AddMinutes(2), Grace);
        var moved = job.PrintFinished(outcome.PrintId!.Value, T0.AddMinutes(2));

        Assert.True(outcome.Succeeded);
        Assert.Equal(OrderStatus.PostProcessing, moved!.Stage);
        Assert.Equal("MK4-1", moved.By);
        Assert.Equal(printer.PrinterId, job.PrinterId);
        Assert.Equal(printId, job.PrintId);
        Assert.Equal(PrinterState.Idle, printer.State);
        Assert.True(printer.CanTakeWork);
        Assert.Null(job.PrintFinished(printId, T0.AddMinutes(3))); // a repeated report changes nothing
    }

    [Fact]
    public void Observe_WhenThePrinterReportsAnErrorMidPrint_ReturnsTheJobToTheQueueWithTheReason()
    {
        var (printer, job, printId) = Printing();
        var outcome = printer.Observe(Status(PrinterLinkState.Error, 0.4, "thermal runaway"), T0.AddMinutes(1), Grace);

        Assert.False(outcome.Succeeded);
        Assert.True(job.ReturnToQueue(printId, outcome.Reason!, T0.AddMinutes(1)));
        Assert.Equal(OrderStatus.Printing, job.Stage); // still Printing to Ordering: a reprint, as after a failed check
        Assert.True(job.AwaitingPrinter);
        Assert.Null(job.AssignedToId);
        Assert.Equal(QueueRanks.Waiting, job.QueueRank);
        Assert.Equal("MK4-1 reported an error mid-print: thermal runaway.", job.History[^1].Reason);
        Assert.Equal(PrinterState.Error, printer.State);
        Assert.False(printer.CanTakeWork);
    }

    [Fact]
    public void StartPrintOn_AfterAFailedPrint_IsAReprintThatPublishesNothing()
    {
        var (printer, job, printId) = Printing();
        var failed = printer.Observe(Status(PrinterLinkState.Idle, 0.3), T0.AddMinutes(1), Grace);
        job.ReturnToQueue(printId, failed.Reason!, T0.AddMinutes(1));
        job.Take(_olivia, 0, 3, T0.AddMinutes(2));

        var second = Guid.NewGuid();
        printer.BeginPrint(second, "b.gcode", T0.AddMinutes(2));
        Assert.Null(job.StartPrintOn(printer, second, _olivia.AsActor(), T0.AddMinutes(2)));
        Assert.Equal(2, job.PrintAttempts);
        Assert.Contains("cancelled at the printer", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_WhileTheUploadIsUnderWay_DoesNotMistakeAnIdlePrinterForAFailedPrint()
    {
        var printer = NewPrinter();
        printer.Observe(Status(PrinterLinkState.Idle), T0, Grace);
        var printId = Guid.NewGuid();
        printer.BeginPrint(printId, "a.gcode", T0);

        Assert.Equal(PrintOutcome.None, printer.Observe(Status(PrinterLinkState.Idle), T0.AddSeconds(5), Grace));
        Assert.Equal(PrinterState.Printing, printer.State);
        var late = printer.Observe(Status(PrinterLinkState.Idle), T0.AddMinutes(5), Grace);
        Assert.Equal(printId, late.PrintId);
        Assert.False(late.Succeeded);
    }

    [Fact]
    public void Observe_WhenAPrintingPrinterIsBrieflyUnreachable_KeepsThePrintThenGivesItUp()
    {
        var (printer, _, printId) = Printing();
        printer.Observe(Status(PrinterLinkState.Printing, 0.2), T0.AddSeconds(10), Grace);
        var offline = new PrinterStatus(PrinterLinkState.Offline, null, null, null, PrinterErrorCodes.Unreachable, "connection refused");

        Assert.Equal(PrintOutcome.None, printer.Observe(offline, T0.AddSeconds(20), Grace));
        Assert.Equal(PrinterState.Offline, printer.State);
        Assert.Equal(printId, printer.CurrentPrintId);
        var givenUp = printer.Observe(offline, T0.AddMinutes(5), Grace);
        Assert.Equal(printId, givenUp.PrintId);
        Assert.Equal("MK4-1 went offline mid-print (connection refused).", givenUp.Reason);
    }

    [Fact]
    public void StartMaintenance_WhilePrinting_IsRefused()
    {
        var (printer, _, _) = Printing();
        Assert.Equal("printer.busy", Assert.Throws<JobRuleException>(() => printer.StartMaintenance(T0)).Code);
    }

    [Fact]
    public void Observe_InMaintenance_ChangesNothing()
    {
        var printer = NewPrinter();
        printer.StartMaintenance(T0);
        printer.Observe(Status(PrinterLinkState.Idle), T0.AddMinutes(1), Grace);
        Assert.Equal(PrinterState.Maintenance, printer.State);
        Assert.Equal(T0, printer.StateSince);
    }

    [Fact]
    public void BeginPrint_OnAnOfflinePrinter_IsRefused() =>
        Assert.Equal("printer.not-ready", Assert.Throws<JobRuleException>(() => NewPrinter().BeginPrint(Guid.NewGuid(), "a.gcode", T0)).Code);
}
