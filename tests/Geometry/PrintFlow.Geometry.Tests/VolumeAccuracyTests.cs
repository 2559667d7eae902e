using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

/// <summary>Relative volume error ≤ 1e-9 on closed meshes whose volume is known exactly.</summary>
public sealed class VolumeAccuracyTests : IDisposable
{
    private const double Tolerance = 1e-9;
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");

    private MeshAnalysis Stl(List<Tri> tris) => ModelAnalysis.AnalyzeFile(_dir.Write($"{Guid.NewGuid():N}.stl", ModelFiles.BinaryStl(tris)));
    private MeshAnalysis Obj(List<Tri> tris) => ModelAnalysis.AnalyzeFile(_dir.Write($"{Guid.NewGuid():N}.obj", ModelFiles.Obj(tris)));

    // Integer coordinates below 2^24 are exact in float32, so binary STL carries these shapes without rounding,
    // including after a translation of 2^16 mm.
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(65536, -65536, 32768)]
    public void Volume_WhenCubeBoxOctahedronInBinaryStl_IsExact(double x, double y, double z)
    {
        AssertRelative(1000, Stl(Shapes.Translate(Shapes.Cube(10), x, y, z)).VolumeMm3);
        AssertRelative(3 * 7 * 11, Stl(Shapes.Translate(Shapes.Box(3, 7, 11), x, y, z)).VolumeMm3);
        AssertRelative(4.0 * 12 * 12 * 12 / 3, Stl(Shapes.Translate(Shapes.Octahedron(12), x, y, z)).VolumeMm3);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1e5, -2.5e5, 7e4)]
    public void Volume_WhenTessellatedCylinderInObj_MatchesPolyhedralFormula(double x, double y, double z)
    {
        const double r = 12.5, h = 30;
        const int n = 257;
        var a = Obj(Shapes.Translate(Shapes.Cylinder(r, h, n), x, y, z));

        Assert.True(a.Watertight);
        AssertRelative(Shapes.CylinderVolume(r, h, n), a.VolumeMm3);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(-3e5, 1e5, 2e5)]
    public void Volume_WhenTessellatedSphereInObj_MatchesIndependentDecimalSum(double x, double y, double z)
    {
        var sphere = Shapes.Sphere(20, 60, 120);
        double expected = Shapes.PolyhedronVolumeReference(sphere); // about the origin, before translation

        var a = Obj(Shapes.Translate(sphere, x, y, z));

        Assert.True(a.Watertight);
        AssertRelative(expected, a.VolumeMm3);
    }

    [Fact]
    public void Volume_WhenLargeSphereInBinaryStl_MatchesReferenceOnFloatCoordinates()
    {
        // 159,200 triangles: large enough to take the two-core path through the edge topology.
        var sphere = ModelFiles.RoundedToFloat(Shapes.Sphere(25, 200, 400));
        double expected = Shapes.PolyhedronVolumeReference(sphere);

        var a = Stl(sphere);

        Assert.Equal(159_200, a.Triangles);
        Assert.True(a.Watertight);
        Assert.True(a.OrientationConsistent);
        Assert.Equal(1, a.Shells);
        AssertRelative(expected, a.VolumeMm3);
        AssertRelative(expected, a.VolumeAfterOrientationFixMm3);
    }

    [Fact]
    public void Volume_WhenSphereFacesAreScrambledInOrientation_FixRestoresExactVolume()
    {
        var sphere = ModelFiles.RoundedToFloat(Shapes.Sphere(25, 40, 80));
        double expected = Shapes.PolyhedronVolumeReference(sphere);
        var scrambled = sphere.Select((t, i) => i % 3 == 0 ? t.Flipped : t).ToList();

        var a = Stl(scrambled);

        Assert.False(a.OrientationConsistent);
        AssertRelative(expected, a.VolumeAfterOrientationFixMm3);
    }
}
