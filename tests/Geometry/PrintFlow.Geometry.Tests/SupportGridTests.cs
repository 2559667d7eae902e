using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class SupportGridTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private MeshAnalysis Analyze(List<Tri> tris) =>
        ModelAnalysis.AnalyzeFile(_dir.Write($"m{Guid.NewGuid():N}.stl", ModelFiles.BinaryStl(tris)), analysis: Landed);

    private static readonly AnalysisOptions Landed = new() { LandedSupport = true };

    [Fact]
    public void Analyze_WhenMushroomCapOverhangsItsStem_ColumnsGoToBedExceptOverTheStem()
    {
        // 4 × 4 mm stem, 10 mm tall, under a 20 × 20 × 4 mm cap: the cap is anchored on the stem on one side only.
        var s = Analyze([.. Shapes.Box(4, 4, 10, 8, 8, 0), .. Shapes.Box(20, 20, 4, 0, 0, 10)]).Profile!.Support!;

        Assert.Equal((400 - 16) * 10, s.ColumnsMm3, 384 * 10 * 0.03);
        Assert.Equal(384, s.ContactMm2, 384 * 0.03);
        Assert.Equal(384, s.BedLandingMm2, 384 * 0.03);
        Assert.Equal(0, s.BridgedMm2);
    }

    [Fact]
    public void Analyze_WhenFixtureMushroomIsAnalysed_ItsCapIsSupportedNotBridged()
    {
        var s = ModelAnalysis.AnalyzeFile(Path.Combine(AppContext.BaseDirectory, "Models", "mushroom-overhang.stl"), analysis: Landed).Profile!.Support!;

        Assert.Equal(0, s.BridgedMm2);
        Assert.Equal(1143, s.ContactMm2, 1143 * 0.05);
        Assert.Equal(1143 * 20, s.ColumnsMm3, 1143 * 20 * 0.05);
    }

    [Fact]
    public void Analyze_WhenShelfOverhangsABase_ColumnsLandOnTheBaseNotTheBed()
    {
        // 20 × 20 × 4 mm base, a 4 × 4 mm pillar from 4 to 14 mm, a 20 × 20 × 2 mm shelf on it.
        var a = Analyze([.. Shapes.Box(20, 20, 4), .. Shapes.Box(4, 4, 10, 8, 8, 4), .. Shapes.Box(20, 20, 2, 0, 0, 14)]);
        var s = a.Profile!.Support!;

        Assert.Equal((400 - 16) * 10, s.ColumnsMm3, 384 * 10 * 0.03);
        Assert.Equal(384, s.PartLandingMm2, 384 * 0.03);
        Assert.Equal(0, s.BedLandingMm2);
        Assert.True(a.SupportVolumeMm3 > 1.3 * s.ColumnsMm3, $"{a.SupportVolumeMm3}");
    }

    [Fact]
    public void Analyze_WhenFlatSpanIsAnchoredOnBothEnds_BridgesItWithoutColumns()
    {
        // Two 5 × 10 × 10 mm piers 20 mm apart under a 30 × 10 × 2 mm deck: the slicer bridges the span.
        var s = Analyze([.. Shapes.Box(5, 10, 10), .. Shapes.Box(5, 10, 10, 25, 0, 0), .. Shapes.Box(30, 10, 2, 0, 0, 10)]).Profile!.Support!;

        Assert.Equal(0, s.ColumnsMm3);
        Assert.Equal(200, s.BridgedMm2, 200 * 0.1);
    }

    [Fact]
    public void Analyze_WhenCubeFloatsAboveAnother_ColumnsGoToTheBed()
    {
        var s = Analyze([.. Shapes.Cube(10), .. Shapes.Cube(10, 30, 0, 20)]).Profile!.Support!;

        Assert.Equal(100 * 20, s.ColumnsMm3, 100 * 20 * 0.02);
        Assert.Equal(100, s.BedLandingMm2, 100 * 0.02);
        // A 10 mm square column, 20 mm tall: four 10 mm sides.
        Assert.Equal(4 * 10 * 20, s.SideMm2, 4 * 10 * 20 * 0.05);
    }

    [Fact]
    public void Analyze_WhenPartHasNoOverhang_LandsNoSupport()
    {
        var s = Analyze(Shapes.Cylinder(10, 20, 64)).Profile!.Support!;

        Assert.Equal(0, s.ColumnsMm3);
        Assert.Equal(0, s.ContactMm2);
    }

    [Fact]
    public void Analyze_ByDefault_MeasuresLandedSupport()
    {
        var a = ModelAnalysis.AnalyzeFile(_dir.Write("m.stl", ModelFiles.BinaryStl([.. Shapes.Cube(10), .. Shapes.Cube(10, 30, 0, 20)])));

        Assert.True(a.Profile!.Support!.ColumnsMm3 > 0);
    }

    [Fact]
    public void Analyze_WhenLandedSupportOff_MeasuresNoLandedSupport()
    {
        var a = ModelAnalysis.AnalyzeFile(_dir.Write("m.stl", ModelFiles.BinaryStl([.. Shapes.Cube(10), .. Shapes.Cube(10, 30, 0, 20)])),
            analysis: new AnalysisOptions { LandedSupport = false });

        Assert.Null(a.Profile!.Support);
    }

    [Fact]
    public void Analyze_WhenManyHugeFacesOverlap_GivesUpTheGridWithinItsBudget()
    {
        // 500 stacked 200 mm plates: each face covers the whole grid, far more cell visits than the budget allows.
        var tris = new List<Tri>();
        for (var i = 0; i < 500; i++) tris.AddRange(Shapes.Box(200, 200, 0.1, 0, 0, 1 + i * 0.2));

        var a = Analyze(tris);

        Assert.Null(a.Profile?.Support);
        Assert.True(a.SupportVolumeMm3 > 0);
    }
}
