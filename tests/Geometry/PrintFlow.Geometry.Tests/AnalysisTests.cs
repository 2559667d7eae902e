using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class AnalysisTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private MeshAnalysis AnalyzeBinary(List<Tri> tris, AnalysisOptions? options = null) =>
        ModelAnalysis.AnalyzeFile(_dir.Write($"m{Guid.NewGuid():N}.stl", ModelFiles.BinaryStl(tris)), analysis: options);

    [Fact]
    public void Analyze_WhenCube_ReportsVolumeAreaBoxAndWatertight()
    {
        var a = AnalyzeBinary(Shapes.Cube(10, 5, 5, 5));

        Assert.Equal(1000, a.VolumeMm3, 9);
        Assert.Equal(600, a.AreaMm2, 9);
        Assert.Equal(new Vector3d(5, 5, 5), a.BoundingBoxMm.Min);
        Assert.Equal(new Vector3d(15, 15, 15), a.BoundingBoxMm.Max);
        Assert.Equal(1, a.Shells);
        Assert.True(a.Watertight);
        Assert.True(a.OrientationConsistent);
        Assert.Equal(0, a.NonManifoldEdges);
        Assert.Equal(0, a.DegenerateTriangles);
    }

    [Fact]
    public void Analyze_WhenCube_SplitsAreaIntoSideFlatAndBedContact()
    {
        var a = AnalyzeBinary(Shapes.Cube(10, 5, 5, 5));

        Assert.Equal(400, a.SideAreaMm2, 9);        // four walls
        Assert.Equal(200, a.FlatAreaMm2, 9);        // top and bottom
        Assert.Equal(100, a.BedContactAreaMm2, 9);  // the bottom rests on the bed
    }

    [Fact]
    public void Analyze_WhenTetrahedron_VolumeIsASixthOfTheCube()
    {
        var a = AnalyzeBinary(Shapes.Tetrahedron(6));

        Assert.Equal(36, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
        Assert.Equal(1, a.Shells);
    }

    [Fact]
    public void Analyze_WhenTwoDisjointCubes_CountsTwoShellsAndSumsVolume()
    {
        var a = AnalyzeBinary([.. Shapes.Cube(10), .. Shapes.Cube(10, 30, 0, 0)]);

        Assert.Equal(2, a.Shells);
        Assert.Equal(2000, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
        Assert.DoesNotContain(a.Warnings, w => w.Code.StartsWith("model.shells-", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenCubeMissesAFace_IsNotWatertight()
    {
        var tris = Shapes.Cube(10);
        tris.RemoveRange(2, 2); // the top face

        var a = AnalyzeBinary(tris);

        Assert.False(a.Watertight);
        Assert.Equal(1, a.Shells);
        Assert.Contains(a.Warnings, w => w.Code == "model.not-watertight");
    }

    [Fact]
    public void Analyze_WhenAsciiAndBinaryOfSameCube_Agree()
    {
        var ascii = ModelAnalysis.AnalyzeFile(_dir.Write("a.stl", ModelFiles.AsciiStl(Shapes.Cube(7))));
        var binary = AnalyzeBinary(Shapes.Cube(7));

        Assert.Equal(binary.VolumeMm3, ascii.VolumeMm3, 9);
        Assert.Equal(binary.AreaMm2, ascii.AreaMm2, 9);
        Assert.Equal(binary.Watertight, ascii.Watertight);
    }
}
