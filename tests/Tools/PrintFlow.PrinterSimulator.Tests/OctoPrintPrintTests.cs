using PrintFlow.Mes.Printers;
using PrintFlow.PrinterSimulator.Tests.Support;

namespace PrintFlow.PrinterSimulator.Tests;

/// <summary>MES's OctoPrint client against the simulator over real HTTP: a print from upload to finish, and cancel.</summary>
public sealed class OctoPrintPrintTests
{
    [Fact]
    public async Task GetStatus_WhenNothingWasSent_IsIdleWithoutJob()
    {
        await using var farm = await SimulatedFarm.StartAsync();

        var status = await farm.StatusAsync(farm.Printer(1));

        Assert.Equal(new PrinterStatus(PrinterLinkState.Idle, null, null, null, null, null), status);
    }

    [Fact]
    public async Task UploadAndStart_WhenIdle_PrintsWithGrowingProgress()
    {
        await using var farm = await SimulatedFarm.StartAsync(speedUp: 60);
        var printer = farm.Printer(1);

        Assert.Equal(PrinterReply.Success, await farm.UploadFixtureAsync(printer, "order 42 plate 1"));
        var started = await farm.StatusAsync(printer);
        farm.Time.Advance(TimeSpan.FromSeconds(10));
        var later = await farm.StatusAsync(printer);

        // 29m 26s at 60x is 29.43 s of wall time.
        Assert.Equal(PrinterLinkState.Printing, started.State);
        Assert.Equal("order_42_plate_1.gcode", started.FileName);
        Assert.Equal(0, started.Progress);
        Assert.Equal(TimeSpan.FromSeconds(30), started.PrintTimeLeft);
        Assert.Equal(PrinterLinkState.Printing, later.State);
        Assert.Equal(10 / 29.4333, later.Progress!.Value, 3);
        Assert.Equal(TimeSpan.FromSeconds(20), later.PrintTimeLeft);
        Assert.Null(later.ErrorCode);
    }

    [Fact]
    public async Task Print_WhenTheSlicersEstimateScaledBySpeedUpHasPassed_FinishesIdle()
    {
        await using var farm = await SimulatedFarm.StartAsync(speedUp: 60);
        var printer = farm.Printer(2);
        var duration = SimulatedFarm.FixtureEstimate / 60;
        await farm.UploadFixtureAsync(printer);

        farm.Time.Advance(duration - TimeSpan.FromMilliseconds(100));
        var almost = await farm.StatusAsync(printer);
        farm.Time.Advance(TimeSpan.FromMilliseconds(100));
        var done = await farm.StatusAsync(printer);

        Assert.Equal(PrinterLinkState.Printing, almost.State);
        Assert.Equal(new PrinterStatus(PrinterLinkState.Idle, 1.0, TimeSpan.Zero, "cube.gcode", null, null), done);
    }

    [Fact]
    public async Task UploadAndStart_WhenAlreadyPrinting_IsBusyAndTheFirstPrintGoesOn()
    {
        await using var farm = await SimulatedFarm.StartAsync();
        var printer = farm.Printer(1);
        await farm.UploadFixtureAsync(printer, "first.gcode");

        var second = await farm.UploadFixtureAsync(printer, "second.gcode");

        Assert.False(second.Ok);
        Assert.Equal(PrinterErrorCodes.Busy, second.ErrorCode);
        Assert.Equal("first.gcode", (await farm.StatusAsync(printer)).FileName);
    }

    [Fact]
    public async Task Cancel_WhenPrinting_StopsAndTheNextPrintCanStart()
    {
        await using var farm = await SimulatedFarm.StartAsync();
        var printer = farm.Printer(1);
        await farm.UploadFixtureAsync(printer);
        farm.Time.Advance(TimeSpan.FromSeconds(5));

        var cancel = await farm.Connection.CancelAsync(printer, CancellationToken.None);
        var after = await farm.StatusAsync(printer);
        var again = await farm.Connection.CancelAsync(printer, CancellationToken.None);

        Assert.Equal(PrinterReply.Success, cancel);
        Assert.Equal(PrinterLinkState.Idle, after.State);
        Assert.True(after.Progress < 0.5);
        Assert.Equal(PrinterReply.Success, again); // nothing printing: OctoPrint's 409 means the print is already stopped
        Assert.Equal(PrinterReply.Success, await farm.UploadFixtureAsync(printer, "next.gcode"));
    }

    [Fact]
    public async Task Printers_WhenOnePrints_OthersStayIdle()
    {
        await using var farm = await SimulatedFarm.StartAsync(printers: 3);

        await farm.UploadFixtureAsync(farm.Printer(2));

        Assert.Equal(PrinterLinkState.Idle, (await farm.StatusAsync(farm.Printer(1))).State);
        Assert.Equal(PrinterLinkState.Printing, (await farm.StatusAsync(farm.Printer(2))).State);
        Assert.Equal(PrinterLinkState.Idle, (await farm.StatusAsync(farm.Printer(3))).State);
    }

    [Fact]
    public async Task BaseUrl_WithoutTrailingSlash_StillReachesThePrinter()
    {
        await using var farm = await SimulatedFarm.StartAsync();

        var status = await farm.StatusAsync(new PrinterEndpoint(new Uri($"{farm.Address}/printers/2"), "simulated-key-2"));

        Assert.Equal(PrinterLinkState.Idle, status.State);
    }
}
