using System.Diagnostics;
using PrintFlow.Pricing.Core;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Tests;

// Exact mode runs PrusaSlicer and POSIX shell scripts: Linux and macOS only, like the pricing workers.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ExactSlicerTests
{
    private static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "Models", name);

    [Fact]
    public async Task SliceAsync_WhenRealPrusaSlicerOnCube_ReturnsItsFilamentAndTime()
    {
        var slicer = new ExactSlicer(new ExactSlicerOptions { Timeout = TimeSpan.FromMinutes(2) });

        var result = await slicer.SliceAsync(Model("cube-20mm.stl"));

        // docs/pricing-calibration.md: cube-20mm sliced with the same profile gives 3.35 cm³, 4.16 g, 29m 24s.
        Assert.Equal(3.35, result.FilamentCm3, 0.02);
        Assert.Equal(4.16, result.FilamentGrams, 0.02);
        Assert.Equal(29.4 / 60, result.PrintHours, 0.01);
    }

    [Fact]
    public async Task SliceAsync_WhenModelIsAStream_SlicesItLikeTheFile()
    {
        var slicer = new ExactSlicer(new ExactSlicerOptions());
        await using var stream = File.OpenRead(Model("cube-20mm.stl"));

        var result = await slicer.SliceAsync(stream, "customer upload.STL");

        Assert.Equal(3.35, result.FilamentCm3, 0.02);
    }

    [Fact]
    public async Task SliceAsync_WhenScaledFromCentimetres_SlicesTheLargerPart()
    {
        // The 20 mm cube read as centimetres would be 200 mm; at 0.15 it is a 3 mm cube, quick to slice.
        var slicer = new ExactSlicer(new ExactSlicerOptions());

        var small = await slicer.SliceAsync(Model("cube-20mm.stl"), scale: 0.15);

        Assert.InRange(small.FilamentCm3, 0.01, 0.5);
    }

    [Fact]
    public void ToEstimate_WhenPetg_ConvertsVolumeWithPetgDensityAndAddsHeatUp()
    {
        var options = PricingOptions.Default;
        var petg = options.Materials["PETG"];
        var printer = options.Printers["MK3S"];

        var estimate = ExactSlicer.ToEstimate(new SliceResult(10, 12.4, 2), TestMeshes.Cube(20), petg, printer);

        Assert.Equal(12.7, estimate.MaterialGrams, 6);
        Assert.Equal(2, estimate.PrintHours);
        Assert.Equal(2 + printer.Fdm!.HeatUpMinutes / 60, estimate.MachineHours, 6);
        Assert.Equal(PrintEstimate.ExactMode, estimate.Mode);
        Assert.Equal(100, estimate.Layers);
    }

    [Fact]
    public void ToEstimate_WhenResin_ThrowsUnsupportedTechnology()
    {
        var options = PricingOptions.Default;

        var error = Assert.Throws<SlicerException>(() =>
            ExactSlicer.ToEstimate(new SliceResult(1, 1, 1), TestMeshes.Cube(20), options.Materials["Resin"], options.Printers["SL1S"]));
        Assert.Equal(SlicerException.UnsupportedTechnology, error.Code);
    }

    [Fact]
    public async Task SliceAsync_WhenBinaryMissing_ThrowsNotInstalledWithAdvice()
    {
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = "/nonexistent/prusa-slicer" });

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Model("cube-20mm.stl")));

        Assert.Equal(SlicerException.NotInstalled, error.Code);
        Assert.Contains("install", error.Message);
    }

    [Fact]
    public async Task SliceAsync_WhenNameNotOnPath_ThrowsNotInstalled()
    {
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = "no-such-slicer-binary" });

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Model("cube-20mm.stl")));

        Assert.Equal(SlicerException.NotInstalled, error.Code);
    }

    [Fact]
    public async Task SliceAsync_WhenSlicerHangs_ThrowsTimeoutAndKillsProcessTree()
    {
        // The script starts a child and records both ids, then hangs; both must be gone after the timeout.
        using var fake = new FakeSlicer("sleep 300 &\necho $! > {dir}/child.pid\necho $$ > {dir}/parent.pid\nwait");
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = fake.Path, Timeout = TimeSpan.FromSeconds(1) });

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Model("cube-20mm.stl")));

        Assert.Equal(SlicerException.Timeout, error.Code);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        var child = int.Parse(File.ReadAllText(Path.Combine(fake.Dir, "child.pid")));
        var parent = int.Parse(File.ReadAllText(Path.Combine(fake.Dir, "parent.pid")));
        await Eventually.UntilAsync(() => !FakeSlicer.IsAlive(child) && !FakeSlicer.IsAlive(parent), "the slicer and its child are gone", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SliceAsync_WhenCancelled_ThrowsOperationCanceledAndKillsProcess()
    {
        using var fake = new FakeSlicer("echo $$ > {dir}/parent.pid\nexec sleep 300");
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = fake.Path, Timeout = TimeSpan.FromMinutes(5) });
        using var cts = new CancellationTokenSource();
        var pidFile = Path.Combine(fake.Dir, "parent.pid");

        var slicing = slicer.SliceAsync(Model("cube-20mm.stl"), cancellationToken: cts.Token);
        await Eventually.UntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0, "the slicer wrote its pid", TimeSpan.FromSeconds(10));
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slicing);
        var pid = int.Parse(File.ReadAllText(pidFile));
        await Eventually.UntilAsync(() => !FakeSlicer.IsAlive(pid), "the slicer is gone", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SliceAsync_WhenSlicerExitsWithError_ThrowsFailedWithItsMessage()
    {
        using var fake = new FakeSlicer("echo 'Object too tall for the print volume' >&2\nexit 1");
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = fake.Path });

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Model("cube-20mm.stl")));

        Assert.Equal(SlicerException.Failed, error.Code);
        Assert.Contains("exit code 1", error.Message);
        Assert.Contains("Object too tall", error.Message);
    }

    [Fact]
    public async Task SliceAsync_WhenRealSlicerGetsUnreadableFile_ThrowsFailed()
    {
        var junk = Path.Combine(Path.GetTempPath(), $"printflow-junk-{Guid.NewGuid():N}.stl");
        await File.WriteAllTextAsync(junk, "this is not a mesh");
        try
        {
            var error = await Assert.ThrowsAsync<SlicerException>(() => new ExactSlicer(new ExactSlicerOptions()).SliceAsync(junk));
            Assert.Equal(SlicerException.Failed, error.Code);
        }
        finally
        {
            File.Delete(junk);
        }
    }
}
