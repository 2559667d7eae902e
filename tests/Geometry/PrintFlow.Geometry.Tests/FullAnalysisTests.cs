using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class FullAnalysisTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private MeshAnalysis Analyze(List<Tri> tris, AnalysisOptions? options = null) =>
        ModelAnalysis.AnalyzeFile(_dir.Write($"m{Guid.NewGuid():N}.stl", ModelFiles.BinaryStl(tris)), analysis: options);

    [Fact]
    public void Analyze_WhenFinSharesAnEdge_CountsNonManifoldEdge()
    {
        var tris = Shapes.Cube(10);
        // A triangle hanging off the top edge y=0,z=10 makes that edge shared by three faces.
        tris.Add(new(new(0, 0, 10), new(10, 0, 10), new(5, -5, 15)));

        var a = Analyze(tris);

        Assert.Equal(1, a.NonManifoldEdges);
        Assert.False(a.Watertight);
    }

    [Fact]
    public void Analyze_WhenOneFaceIsFlipped_ReportsInconsistentAndFixesVolume()
    {
        var tris = Shapes.Cube(10);
        tris[0] = tris[0].Flipped;
        tris[1] = tris[1].Flipped;

        var a = Analyze(tris);

        Assert.False(a.OrientationConsistent);
        Assert.True(a.Watertight);
        Assert.NotEqual(1000, a.VolumeMm3, 6);
        Assert.Equal(1000, a.VolumeAfterOrientationFixMm3, 9);
    }

    [Fact]
    public void Analyze_WhenWholeShellIsInsideOut_FixedVolumeIsPositive()
    {
        var a = Analyze(Shapes.Cube(10).Select(t => t.Flipped).ToList());

        Assert.True(a.OrientationConsistent);
        Assert.Equal(-1000, a.VolumeMm3, 9);
        Assert.Equal(1000, a.VolumeAfterOrientationFixMm3, 9);
    }

    [Fact]
    public void Analyze_WhenZeroAreaTriangle_CountsDegenerate()
    {
        var tris = Shapes.Cube(10);
        tris.Add(new(new(20, 0, 0), new(21, 0, 0), new(22, 0, 0))); // collinear
        tris.Add(new(new(30, 0, 0), new(30, 0, 0), new(31, 1, 0)));  // two equal corners

        var a = Analyze(tris);

        Assert.Equal(2, a.DegenerateTriangles);
        Assert.Equal(1000, a.VolumeMm3, 9);
    }

    [Fact]
    public void Analyze_WhenCubeRestsOnBed_HasNoOverhang()
    {
        var a = Analyze(Shapes.Cube(10, 0, 0, 3));

        Assert.Equal(0, a.OverhangAreaMm2);
        Assert.Equal(0, a.SupportVolumeMm3);
    }

    [Fact]
    public void Analyze_WhenCubeFloatsAboveAnother_BottomNeedsSupportDownToBed()
    {
        var a = Analyze([.. Shapes.Cube(10), .. Shapes.Cube(10, 30, 0, 20)]);

        Assert.Equal(100, a.OverhangAreaMm2, 9);
        Assert.Equal(100 * 20, a.SupportVolumeMm3, 9);
    }

    [Fact]
    public void Analyze_WhenOctahedronAt30Degrees_LowerFacesOverhangWithExactSupport()
    {
        const double r = 10;
        var tris = Shapes.Octahedron(r);

        var at45 = Analyze(tris);
        var at30 = Analyze(tris, new AnalysisOptions { OverhangAngleDegrees = 30 });

        // Lower faces lean 35.26° from vertical: supported at a 30° limit, self-supporting at 45°.
        Assert.Equal(0, at45.OverhangAreaMm2);
        Assert.Equal(2 * Math.Sqrt(3) * r * r, at30.OverhangAreaMm2, 9);
        // Each lower face projects r²/2 onto the bed with its centroid 2r/3 above the lowest vertex.
        Assert.Equal(4 * (r * r / 2) * (2 * r / 3), at30.SupportVolumeMm3, 9);
    }

    [Fact]
    public void Analyze_WhenOrientationIsWrong_OverhangUsesFixedNormals()
    {
        var upsideDown = Analyze([.. Shapes.Cube(10), .. Shapes.Cube(10, 30, 0, 20).Select(t => t.Flipped)]);

        Assert.Equal(100, upsideDown.OverhangAreaMm2, 9);
    }

    [Fact]
    public void Analyze_WhenBuildVolumeFitsOnlyLyingDown_SaysWhichOrientation()
    {
        var a = Analyze(Shapes.Box(4, 18, 15), new AnalysisOptions { BuildVolumeMm = new Vector3d(20, 20, 5) });

        Assert.True(a.FitsBuildVolume);
        Assert.Contains("model X up", a.FitOrientation);
    }

    [Fact]
    public void Analyze_WhenFitsAsIs_SaysAsIs()
    {
        var a = Analyze(Shapes.Box(4, 18, 15), new AnalysisOptions { BuildVolumeMm = new Vector3d(250, 210, 220) });

        Assert.True(a.FitsBuildVolume);
        Assert.Equal("as-is (Z up)", a.FitOrientation);
    }

    [Fact]
    public void Analyze_WhenTooBigInEveryOrientation_DoesNotFit()
    {
        var a = Analyze(Shapes.Box(300, 10, 10), new AnalysisOptions { BuildVolumeMm = new Vector3d(250, 210, 220) });

        Assert.False(a.FitsBuildVolume);
        Assert.Null(a.FitOrientation);
        Assert.Contains(a.Warnings, w => w.Code == "model.does-not-fit");
    }

    [Fact]
    public void Analyze_WhenNoBuildVolume_SkipsFitCheck()
    {
        Assert.Null(Analyze(Shapes.Cube()).FitsBuildVolume);
    }

    [Fact]
    public void Analyze_WhenInwardShellInsideSolid_TreatsItAsCavity()
    {
        var hollow = Analyze([.. Shapes.Cube(30), .. Shapes.Cube(10, 10, 10, 10).Select(t => t.Flipped)]);

        Assert.Equal(27000 - 1000, hollow.VolumeMm3, 9);
        Assert.Equal(27000 - 1000, hollow.VolumeAfterOrientationFixMm3, 9);
        Assert.DoesNotContain(hollow.Warnings, w => w.Code.StartsWith("model.shells-", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenSolidShellInsideSolid_WarnsShellsOverlap()
    {
        var a = Analyze([.. Shapes.Cube(30), .. Shapes.Cube(10, 10, 10, 10)]);

        Assert.Equal(28000, a.VolumeAfterOrientationFixMm3, 9);
        Assert.Contains(a.Warnings, w => w.Code == "model.shells-overlap");
    }

    [Fact]
    public void Analyze_WhenTwoCubesIntersect_WarnsShellsIntersect()
    {
        var a = Analyze([.. Shapes.Cube(10), .. Shapes.Cube(10, 5, 5, 5)]);

        Assert.Contains(a.Warnings, w => w.Code == "model.shells-intersect");
    }
}
