using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using PrintFlow.Geometry.Tests.Support;
using Xunit.Abstractions;

namespace PrintFlow.Geometry.Tests;

/// <summary>
/// Files built to cost far more than their size: each is refused with a code before the work is done, and any read
/// stops at its deadline. Timings are asserted only loosely (benchmarks own them); allocations are the firm bound.
/// </summary>
public sealed class HostileModelTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    /// <summary>Runs on its own thread so a reader that never ends fails the test instead of hanging it.</summary>
    private static async Task<(Exception? Error, TimeSpan Elapsed, long AllocatedBytes)> Measure(Action read, TimeSpan bound)
    {
        var run = Task.Factory.StartNew(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            var error = Record.Exception(read);
            return (error, clock.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
        }, TaskCreationOptions.LongRunning);
        var finished = await Task.WhenAny(run, Task.Delay(bound));
        Assert.True(finished == run, $"the read was still running after {bound.TotalSeconds:N0} s");
        return await run;
    }

    [Fact]
    public async Task Read_WhenComponentsPlaceA200kVertexObjectAMillionTimes_RefusesAsTooComplexWithoutPlacingThem()
    {
        var package = HostileModels.MillionCopiesThreeMf();
        Assert.True(package.Length < 1_000_000, $"the reported file is under 1 MB; this one is {package.Length:N0} bytes");
        var path = _dir.Write("million-copies.3mf", package);

        var (error, elapsed, allocated) = await Measure(() => ModelAnalysis.AnalyzeFile(path), TimeSpan.FromSeconds(60));

        output.WriteLine($"refused in {elapsed.TotalMilliseconds:N0} ms, {allocated:N0} bytes allocated: {error?.Message}");
        var refused = Assert.IsType<ModelFormatException>(error);
        Assert.Equal("model.too-complex", refused.Code);
        Assert.Contains("once its parts are placed", refused.Message, StringComparison.Ordinal);
        // Parsing the 200,000 vertices is all the work left: tens of MB, where placing them would take gigabytes.
        Assert.True(allocated < 128L << 20, $"allocated {allocated:N0} bytes");
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed.TotalMilliseconds:N0} ms");
    }

    [Fact]
    public async Task Read_WhenPlacedTrianglesExceedTheLimit_RefusesAsTooComplexBeforePlacingThem()
    {
        // 12 triangles placed 100 × 100 times: 120,000 triangles against a limit of 100,000.
        var resources = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1))
            + $"<object id=\"2\"><components>{Repeat("<component objectid=\"1\"/>", 100)}</components></object>"
            + $"<object id=\"3\"><components>{Repeat("<component objectid=\"2\"/>", 100)}</components></object>";
        var path = _dir.Write("placed.3mf", ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, "<item objectid=\"3\"/>")));

        var (error, _, allocated) = await Measure(
            () => ModelAnalysis.AnalyzeFile(path, new ReadOptions { MaxTriangles = 100_000 }), TimeSpan.FromSeconds(30));

        var refused = Assert.IsType<ModelFormatException>(error);
        Assert.Equal("model.too-complex", refused.Code);
        Assert.Contains("more than 100,000 triangles once its parts are placed", refused.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16L << 20, $"allocated {allocated:N0} bytes: the triangles were placed before counting");
    }

    [Fact]
    public void Read_WhenPlacedTrianglesAreWithinTheLimit_PlacesEveryCopy()
    {
        var resources = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1))
            + $"<object id=\"2\"><components>{Repeat("<component objectid=\"1\"/>", 100)}</components></object>"
            + $"<object id=\"3\"><components>{Repeat("<component objectid=\"2\"/>", 100)}</components></object>";
        var path = _dir.Write("placed.3mf", ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, "<item objectid=\"3\"/>")));

        var a = ModelAnalysis.AnalyzeFile(path, new ReadOptions { MaxTriangles = 120_000 });

        Assert.Equal(120_000, a.Triangles);
    }

    [Fact]
    public void Read_WhenComponentsNestSeventeenLevels_RefusesAsTooComplex()
    {
        var sb = new StringBuilder(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)));
        for (int id = 2; id <= 19; id++) sb.Append($"<object id=\"{id}\"><components><component objectid=\"{id - 1}\"/></components></object>");
        var path = _dir.Write("deep.3mf", ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(sb.ToString(), "<item objectid=\"19\"/>")));

        var e = Assert.Throws<ModelFormatException>(() => ModelAnalysis.AnalyzeFile(path));

        Assert.Equal("model.too-complex", e.Code);
        Assert.Contains("levels of nested components", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenPackageListsTwentyThousandEntries_RefusesBeforeOpeningThem()
    {
        var entries = Enumerable.Range(0, 20_000).Select(i => ($"Metadata/f{i}.txt", Array.Empty<byte>()))
            .Prepend(("3D/3dmodel.model", Encoding.UTF8.GetBytes(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)), "<item objectid=\"1\"/>"))));
        var path = _dir.Write("entries.3mf", HostileModels.ThreeMf(entries, level: CompressionLevel.NoCompression));

        var e = Assert.Throws<ModelFormatException>(() => ModelAnalysis.AnalyzeFile(path));

        Assert.Equal("model.too-complex", e.Code);
        Assert.Contains("more than the 10,000", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenModelPartIsStoredTwice_RefusesTheAmbiguity()
    {
        var cube = Encoding.UTF8.GetBytes(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)), "<item objectid=\"1\"/>"));
        var big = Encoding.UTF8.GetBytes(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(100)), "<item objectid=\"1\"/>"));
        var path = _dir.Write("twice.3mf", HostileModels.ThreeMf([("3D/3dmodel.model", cube), ("3D/3dmodel.model", big)]));

        var e = Assert.Throws<ModelFormatException>(() => ModelAnalysis.AnalyzeFile(path));

        Assert.Equal("3mf.duplicate-part", e.Code);
    }

    [Theory]
    [InlineData("attributes")]
    [InlineData("value")]
    [InlineData("text")]
    [InlineData("cdata")]
    [InlineData("depth")]
    public async Task Read_WhenOneXmlNodeIsHuge_RefusesWithBoundedMemory(string shape)
    {
        // Random letters, so the part does not compress past the zip-bomb ratio and reaches the XML reader.
        var random = new Random(7);
        string Letters(int n) => string.Create(n, random, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = (char)('a' + r.Next(26)); });
        string payload = shape switch
        {
            "attributes" => "<metadata " + string.Concat(Enumerable.Range(0, 300_000).Select(i => $"{Letters(3)}{i}=\"1\" ")) + "/>",
            "value" => $"<metadata name=\"{Letters(4 << 20)}\"/>",
            "text" => $"<metadata name=\"n\">{Letters(4 << 20)}</metadata>",
            "cdata" => $"<metadata name=\"n\"><![CDATA[{string.Concat(Enumerable.Range(0, 4_000).Select(_ => "<x>" + Letters(1000)))}]]></metadata>",
            _ => string.Concat(Enumerable.Range(0, 300_000).Select(_ => $"<{Letters(8)}>")),
        };
        var xml = ModelFiles.ThreeMfModelXml(payload + ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)), "<item objectid=\"1\"/>");
        var path = _dir.Write($"{shape}.3mf", HostileModels.ThreeMf([("3D/3dmodel.model", Encoding.UTF8.GetBytes(xml))]));

        var (error, _, allocated) = await Measure(() => ModelAnalysis.AnalyzeFile(path), TimeSpan.FromSeconds(30));

        var refused = Assert.IsType<ModelFormatException>(error);
        Assert.StartsWith("3mf.", refused.Code, StringComparison.Ordinal);
        Assert.True(allocated < 64L << 20, $"allocated {allocated:N0} bytes for an {shape} payload of {payload.Length:N0} characters");
    }

    [Fact]
    public async Task Analyze_WhenTheDeadlinePasses_RefusesAsTooComplexAndStops()
    {
        var path = _dir.Write("slow.3mf", HostileModels.ManyCubesThreeMf());

        var (error, _, _) = await Measure(
            () => ModelAnalysis.AnalyzeFile(path, null, null, TimeSpan.FromMilliseconds(1)), TimeSpan.FromSeconds(30));

        var refused = Assert.IsType<ModelFormatException>(error);
        Assert.Equal("model.too-complex", refused.Code);
        Assert.Contains("too complex to analyse within 1 ms", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenTheCallerCancels_ThrowsOperationCanceled()
    {
        var path = _dir.Write("cube.stl", ModelFiles.BinaryStl(Shapes.Cube(10)));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ModelAnalysis.AnalyzeFile(path, null, null, TimeSpan.FromMinutes(1), cancelled.Token));
    }

    [Fact]
    public void Analyze_WithinTheDeadline_GivesTheSameResultAsWithout()
    {
        var path = _dir.Write("cube.stl", ModelFiles.BinaryStl(Shapes.Cube(10)));

        var a = ModelAnalysis.AnalyzeFile(path, null, null, TimeSpan.FromSeconds(30));

        Assert.Equal(ModelAnalysis.AnalyzeFile(path).VolumeMm3, a.VolumeMm3);
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
