using System.Diagnostics;
using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

/// <summary>The per-band cross-sections the analysis computes in its pass over the triangles (LayerProfile).</summary>
public sealed class LayerProfileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private MeshAnalysis Analyze(List<Tri> tris) =>
        ModelAnalysis.AnalyzeFile(_dir.Write($"m{Guid.NewGuid():N}.stl", ModelFiles.BinaryStl(tris)));

    [Fact]
    public void Analyze_WhenCube_EveryBandHasTheSquareCrossSection()
    {
        var profile = Analyze(Shapes.Cube(10, 5, 5, 5)).Profile!;

        Assert.Equal(50, profile.Bands); // 10 mm in bands of one 0.2 mm layer
        Assert.Equal(0.2, profile.BandMm, 9);
        Assert.All(profile.AreaMm2, a => Assert.Equal(100, a, 6));
        Assert.All(profile.OutlineMm, l => Assert.Equal(40, l, 6));
        Assert.All(profile.OutlineSegments, n => Assert.Equal(8, n)); // two triangles per side
        Assert.Equal(100, profile.UpMm2[^1], 6);   // the top, in the last band
        Assert.Equal(100, profile.DownMm2[0], 6);  // the bottom, on the bed
        Assert.Equal(200, profile.UpMm2.Sum() + profile.DownMm2.Sum(), 6);
        Assert.All(profile.OverhangMm2, o => Assert.Equal(0, o)); // the bottom lies on the bed: no support
    }

    [Fact]
    public void Analyze_WhenCube_FlatTopAndBottomHaveNoRise()
    {
        var profile = Analyze(Shapes.Cube(10, 5, 5, 5)).Profile!;

        Assert.Equal(100, profile.UpMm2[^1], 6);
        Assert.All(profile.UpRiseMm2!, r => Assert.Equal(0, r, 9));   // a flat top: all projection, no slope
        Assert.All(profile.DownRiseMm2!, r => Assert.Equal(0, r, 9)); // the vertical sides face neither way
    }

    [Fact]
    public void Analyze_WhenCone_SpreadsTheSideOverItsBandsWithUpOverRiseOneOverTheSlope()
    {
        // A 64-sided cone, radius 10, 30 mm tall: its side rises at tan θ = 3, so each band's up-facing surface
        // projected on the bed is a third of the same surface projected on a vertical plane.
        var profile = Analyze(Cone(10, 30, 64)).Profile!;

        var up = profile.UpMm2.Sum();
        var rise = profile.UpRiseMm2!.Sum();
        Assert.Equal(Math.PI * 100, up, 0);          // the whole side seen from above covers the base (64-gon ≈ circle)
        Assert.Equal(1.0 / 3, up / rise, 3);
        // Each side face spans the whole height: its surface is spread over the bands as wide as the face is there, so
        // halfway up (radius 5) a 0.2 mm band holds the ring 2π × 5 × 0.2 / 3 mm², not the band of the face's centroid.
        var middle = profile.Bands / 2;
        Assert.Equal(2 * Math.PI * 5 * 0.2 / 3, profile.UpMm2[middle], 0.02 * 2 * Math.PI * 5 * 0.2 / 3);
        Assert.Equal(1.0 / 3, profile.UpMm2[middle] / profile.UpRiseMm2![middle], 3);
        Assert.Equal(Math.PI * 100, profile.DownMm2[0], 0); // the base lies flat on the bed
        Assert.All(profile.DownRiseMm2!, r => Assert.Equal(0, r, 9));
    }

    /// <summary>A right circular cone (n-gon base of radius r on the bed, apex h above its centre).</summary>
    private static List<Tri> Cone(double r, double h, int n)
    {
        var tris = new List<Tri>();
        Vector3d Rim(int i) => new(r * Math.Cos(2 * Math.PI * i / n), r * Math.Sin(2 * Math.PI * i / n), 0);
        Vector3d centre = new(0, 0, 0), apex = new(0, 0, h);
        for (int i = 0; i < n; i++)
        {
            var b0 = Rim(i); var b1 = Rim(i + 1 == n ? 0 : i + 1);
            tris.Add(new(centre, b1, b0));
            tris.Add(new(b0, b1, apex));
        }
        return tris;
    }

    [Fact]
    public void Analyze_WhenBoxWithCavity_SubtractsTheHoleAndCountsBothOutlines()
    {
        // A 20 mm cube with a 10 mm cavity (inward faces) from z = 5 to 15.
        var profile = Analyze([.. Shapes.Cube(20), .. Shapes.Cube(10, 5, 5, 5).Select(t => t.Flipped)]).Profile!;

        var middle = profile.Bands / 2;
        Assert.Equal(400 - 100, profile.AreaMm2[middle], 6);
        Assert.Equal(80 + 40, profile.OutlineMm[middle], 6);
        Assert.Equal(400, profile.AreaMm2[0], 6);
        // The cavity's ceiling faces down above air: an overhang the slicer bridges or supports.
        Assert.Equal(100, profile.OverhangMm2.Sum(), 6);
    }

    [Fact]
    public void Analyze_WhenMushroom_OverhangSitsInTheBandOfTheCapsUnderside()
    {
        // A 4 mm stem 10 mm tall under a 20 × 20 × 2 mm cap: the cap's underside overhangs 400 − 16 mm².
        var profile = Analyze([.. Shapes.Box(4, 4, 10, 8, 8, 0), .. Shapes.Box(20, 20, 2, 0, 0, 10)]).Profile!;

        var band = (int)(10 / profile.BandMm);
        Assert.Equal(16, profile.AreaMm2[band - 1], 6);
        Assert.Equal(400, profile.AreaMm2[band + 1], 6);
        Assert.Equal(400, profile.OverhangMm2.Sum(), 6); // the whole underside: the stem is a separate shell touching it
        Assert.True(profile.OverhangMm2[band] > 0 || profile.OverhangMm2[band - 1] > 0);
    }

    [Fact]
    public void Analyze_WhenEveryFaceInverted_ProfileStillPositive()
    {
        var profile = Analyze(Shapes.Cube(10).Select(t => t.Flipped).ToList()).Profile!;

        Assert.All(profile.AreaMm2, a => Assert.Equal(100, a, 6));
        Assert.Equal(100, profile.UpMm2[^1], 6);
    }

    [Fact]
    public void Analyze_WhenTallPart_BandsAreCappedAndCoverTheHeight()
    {
        var profile = Analyze(Shapes.Box(10, 10, 180)).Profile!;

        Assert.Equal(LayerProfile.MaxBands, profile.Bands);
        Assert.Equal(180.0 / LayerProfile.MaxBands, profile.BandMm, 9);
        Assert.Equal(100 * 180, profile.AreaMm2.Sum() * profile.BandMm, 6);
    }

    [Fact]
    public void Analyze_WhenSphere_ProfileVolumeMatchesTheMesh()
    {
        var a = Analyze(Shapes.Sphere(15, 48, 96));

        var profile = a.Profile!;
        Assert.Equal(a.VolumeMm3, profile.AreaMm2.Sum() * profile.BandMm, a.VolumeMm3 * 0.002); // midpoint rule
    }

    [Fact]
    public void Analyze_WhenFacesAreTallSlivers_GivesNoProfileInBoundedTime()
    {
        // Hostile: 30,000 needle-thin triangles each spanning the full height would cost 256 band crossings each;
        // past the budget (8 per triangle + 1M) the analysis drops the profile instead of doing that work.
        var tris = new List<Tri>();
        for (var i = 0; i < 10_000; i++)
        {
            double x = i * 0.01;
            var a = new Vector3d(x, 0, 0);
            var b = new Vector3d(x + 0.005, 0, 0);
            var c = new Vector3d(x, 0.005, 100);
            var d = new Vector3d(x + 0.005, 0.005, 100);
            tris.Add(new(a, b, c));
            tris.Add(new(b, d, c));
            tris.Add(new(a, c, d));
        }

        var clock = Stopwatch.StartNew();
        var analysis = Analyze(tris);

        Assert.Null(analysis.Profile);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }
}
