using PrintFlow.Geometry.Tests.Support;
using PrintFlow.Pricing.Tests.Support;

namespace PrintFlow.Cli.Tests;

/// <summary>`printflow quote --exact` as a real process with the real PrusaSlicer: it slices, and nothing more.</summary>
[Trait("Category", "Tools")]
public sealed class ExactQuoteIsolationTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(SlicerAttackModels.SlicerConfigVariants), MemberType = typeof(SlicerAttackModels))]
    public async Task QuoteExact_When3mfCarriesSlicerConfigWithPostProcess_QuotesWithoutRunningIt(string variant)
    {
        var marker = Path.Combine(Path.GetTempPath(), $"printflow-pwned-{Guid.NewGuid():N}");
        var model = _dir.Write("cube.3mf", SlicerAttackModels.ThreeMfWithSlicerConfig(variant, marker));

        var run = await CliProcess.RunAsync("quote", model, "--exact", "--json");

        Assert.False(File.Exists(marker), "the 3MF's post_process ran on the machine quoting it");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var j = run.Json();
        Assert.Equal("exact", j.GetProperty("mode").GetString());
        Assert.Equal(3.35 * 1.24, j.GetProperty("material_g").GetDouble(), 1); // the 20 mm cube, as cube-20mm.stl
    }

    [Fact]
    public async Task QuoteExact_WhenSlicerMemoryLimitIsUnusable_ExitsTwoWithInvalidOptions()
    {
        var run = await CliProcess.RunAsync(["quote", CliProcess.Model("cube-20mm.stl"), "--exact", "--json"],
            new Dictionary<string, string> { ["PRINTFLOW_SLICER_MEMORY_MIB"] = "16" });

        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("cli.invalid-slicer-options", error.GetProperty("code").GetString());
        Assert.Contains("MemoryLimitMiB", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
