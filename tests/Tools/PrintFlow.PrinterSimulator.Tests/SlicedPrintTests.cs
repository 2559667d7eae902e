using System.Diagnostics;
using PrintFlow.Mes.Printers;
using PrintFlow.PrinterSimulator.Tests.Support;

namespace PrintFlow.PrinterSimulator.Tests;

/// <summary>G-code straight from PrusaSlicer (the repository's MK3S profile) prints for exactly its own estimate.</summary>
[Trait("Category", "Tools")]
public sealed class SlicedPrintTests
{
    [Fact]
    public async Task Print_WhenTheGcodeComesFromPrusaSlicer_TakesItsEstimateOverTheSpeedUp()
    {
        var work = Directory.CreateTempSubdirectory("printflow-sim-slice-");
        try
        {
            var gcode = Path.Combine(work.FullName, "cube.gcode");
            await SliceAsync(Path.Combine(AppContext.BaseDirectory, "Models", "cube-20mm.stl"), gcode, work.FullName);
            var estimate = GcodeTimeEstimate.Parse(await File.ReadAllTextAsync(gcode));
            Assert.NotNull(estimate);
            await using var farm = await SimulatedFarm.StartAsync(speedUp: 120);
            var printer = farm.Printer(1);

            await using (var file = File.OpenRead(gcode))
                Assert.Equal(PrinterReply.Success, await farm.Connection.UploadAndStartAsync(printer, "cube.gcode", file, CancellationToken.None));
            farm.Time.Advance(estimate.Value / 120 - TimeSpan.FromMilliseconds(10));
            var almost = await farm.StatusAsync(printer);
            farm.Time.Advance(TimeSpan.FromMilliseconds(10));
            var done = await farm.StatusAsync(printer);

            Assert.InRange(estimate.Value, TimeSpan.FromMinutes(5), TimeSpan.FromHours(3));
            Assert.Equal(PrinterLinkState.Printing, almost.State);
            Assert.Equal((PrinterLinkState.Idle, 1.0), (done.State, done.Progress));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task SliceAsync(string model, string gcode, string work)
    {
        var start = new ProcessStartInfo("prusa-slicer") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["--export-gcode", "--loglevel", "1", "--datadir", Path.Combine(work, "datadir"),
            "--load", Path.Combine(AppContext.BaseDirectory, "Slicer", "mk3s-020.ini"), "--output", gcode, model])
            start.ArgumentList.Add(a);
        using var slicer = Process.Start(start)!;
        var output = slicer.StandardOutput.ReadToEndAsync();
        var errors = slicer.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await slicer.WaitForExitAsync(deadline.Token);
        Assert.True(slicer.ExitCode == 0, $"PrusaSlicer failed: {await output}{await errors}");
    }
}
