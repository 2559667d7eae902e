using System.Diagnostics;
using PrintFlow.Geometry;
using PrintFlow.Geometry.Tests.Support;
using PrintFlow.Pricing.Core;
using PrintFlow.Slicing;
using PrintFlow.Testing;

namespace PrintFlow.Pricing.Tests;

// Exact mode runs PrusaSlicer and POSIX shell scripts: Linux and macOS only, like the pricing workers.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ExactSlicerTests
{
    private static string Model(string name) => Path.Combine(AppContext.BaseDirectory, "Models", name);
    private static Mesh Cube20() => ModelReader.Read(Model("cube-20mm.stl"));

    [Trait("Category", "Tools")]
    [Fact]
    public async Task SliceAsync_WhenRealPrusaSlicerOnCube_ReturnsItsFilamentAndTime()
    {
        var slicer = new ExactSlicer(new ExactSlicerOptions { Timeout = TimeSpan.FromMinutes(2) });

        var result = await slicer.SliceAsync(Cube20());

        // docs/pricing-calibration.md: cube-20mm sliced with the same profile gives 3.35 cm³, 4.16 g, 29m 24s.
        Assert.Equal(3.35, result.FilamentCm3, 0.02);
        Assert.Equal(4.16, result.FilamentGrams, 0.02);
        Assert.Equal(29.4 / 60, result.PrintHours, 0.01);
    }

    [Trait("Category", "Tools")]
    [Fact]
    public async Task SliceAsync_WhenMeshWasReadInCentimetres_SlicesItInMillimetres()
    {
        // A 0.3 unit cube read as centimetres is a 3 mm cube: tiny, but sliced, so the units reached the slicer.
        using var dir = new TempDir();
        var mesh = ModelReader.Read(dir.Write("small.stl", ModelFiles.BinaryStl(Shapes.Cube(0.3))), new ReadOptions { Units = LengthUnit.Centimetre });

        var small = await new ExactSlicer(new ExactSlicerOptions()).SliceAsync(mesh);

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

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Cube20()));

        Assert.Equal(SlicerException.NotInstalled, error.Code);
        Assert.Contains("install", error.Message);
    }

    [Fact]
    public async Task SliceAsync_WhenNameNotOnPath_ThrowsNotInstalled()
    {
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = "no-such-slicer-binary" });

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Cube20()));

        Assert.Equal(SlicerException.NotInstalled, error.Code);
    }

    [Fact]
    public async Task SliceAsync_WhenSlicerHangs_ThrowsTimeoutAndKillsProcessTree()
    {
        // The script starts a child and records both ids, then hangs; both must be gone after the timeout.
        using var fake = new FakeSlicer("sleep 300 &\necho $! > {dir}/child.pid\necho $$ > {dir}/parent.pid\nwait");
        var slicer = new ExactSlicer(new ExactSlicerOptions { ExecutablePath = fake.Path, Timeout = TimeSpan.FromSeconds(1) });

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Cube20()));

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

        var slicing = slicer.SliceAsync(Cube20(), cts.Token);
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

        var error = await Assert.ThrowsAsync<SlicerException>(() => slicer.SliceAsync(Cube20()));

        Assert.Equal(SlicerException.Failed, error.Code);
        Assert.Contains("exit code 1", error.Message);
        Assert.Contains("Object too tall", error.Message);
    }
}
