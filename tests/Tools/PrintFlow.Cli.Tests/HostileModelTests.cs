using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Cli.Tests;

/// <summary>`printflow quote` on files built to cost far more than their size: refused as errors (exit 2), in bounded time.</summary>
public sealed class HostileModelTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static void AssertTooComplex(CliProcess.Result run)
    {
        Assert.Equal(2, run.ExitCode);
        var error = run.Json().GetProperty("error");
        Assert.Equal("model.too-complex", error.GetProperty("code").GetString());
        Assert.Contains("simplify it or split it", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Quote_WhenComponentsPlaceA200kVertexObjectAMillionTimes_ExitsTwoWithTooComplex()
    {
        var path = _dir.Write("million-copies.3mf", HostileModels.MillionCopiesThreeMf());

        // The process runner gives up after two minutes; before the fix this file ran past 60 s at full CPU.
        var run = await CliProcess.RunAsync("quote", path, "--json");

        AssertTooComplex(run);
        Assert.Contains("once its parts are placed", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_WhenTheAnalysisOutlastsTimeout_ExitsTwoWithTooComplex()
    {
        var path = _dir.Write("many-cubes.3mf", HostileModels.ManyCubesThreeMf());

        var run = await CliProcess.RunAsync("quote", path, "--timeout", "0.001", "--json");

        AssertTooComplex(run);
        Assert.Contains("within 1 ms", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quote_WithinTheDefaultTimeout_AnalysesTheModel()
    {
        var path = _dir.Write("many-cubes.3mf", HostileModels.ManyCubesThreeMf());

        var run = await CliProcess.RunAsync("quote", path, "--json");

        // 0 or 1: the 600 mm grid of cubes may not fit a printer, but it was read and measured.
        Assert.InRange(run.ExitCode, 0, 1);
        Assert.Equal(360_000, run.Json().GetProperty("triangles").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("86400")]
    public async Task Quote_WhenTimeoutIsNotASensibleNumberOfSeconds_ExitsTwoWithBadArguments(string timeout)
    {
        var path = _dir.Write("cube.stl", ModelFiles.BinaryStl(Shapes.Cube(10)));

        var run = await CliProcess.RunAsync("quote", path, "--timeout", timeout, "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("cli.bad-arguments", run.Json().GetProperty("error").GetProperty("code").GetString());
    }
}
