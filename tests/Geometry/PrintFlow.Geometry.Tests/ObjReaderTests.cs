using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class ObjReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_WhenIndexedCube_ReadsClosedMesh()
    {
        string path = _dir.Write("cube.obj", ModelFiles.Obj(Shapes.Cube(10)));

        var a = ModelAnalysis.AnalyzeFile(path);

        Assert.Equal(ModelFormat.Obj, a.Format);
        Assert.Equal(12, a.Triangles);
        Assert.Equal(1000, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
    }

    [Fact]
    public void Read_WhenQuadFacesWithSlashForms_FanTriangulates()
    {
        // A unit-less cube written with quads and every corner form: v, v/vt, v//vn, v/vt/vn.
        const string obj = """
            v 0 0 0
            v 10 0 0
            v 10 10 0
            v 0 10 0
            v 0 0 10
            v 10 0 10
            v 10 10 10
            v 0 10 10
            vt 0 0
            vn 0 0 1
            f 1 4 3 2
            f 5/1 6/1 7/1 8/1
            f 1//1 2//1 6//1 5//1
            f 4/1/1 8/1/1 7/1/1 3/1/1
            f 1 5 8 4
            f 2 3 7 6
            """;
        var a = ModelAnalysis.AnalyzeFile(_dir.Write("quads.obj", obj));

        Assert.Equal(12, a.Triangles);
        Assert.Equal(1000, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
        Assert.True(a.OrientationConsistent);
    }

    [Fact]
    public void Read_WhenNegativeIndices_ResolvesRelativeToLastVertex()
    {
        const string obj = """
            v 0 0 0
            v 6 0 0
            v 0 6 0
            v 0 0 6
            f -4 -2 -3
            f -4 -3 -1
            f -4 -1 -2
            f -3 -2 -1
            """;
        var a = ModelAnalysis.AnalyzeFile(_dir.Write("tet.obj", obj));

        Assert.Equal(36, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
    }

    [Fact]
    public void Read_WhenCommentsFollowStatementsAndLinesEndInCrLf_IgnoresThem()
    {
        string obj = "v 0 0 0 # origin\r\nv 6 0 0\r\nv 0 6 0\r\nv 0 0 6\r\nf 1 3 2 # bottom\r\nf 1 2 4\r\nf 1 4 3\r\nf 2 3 4\r\n";

        var a = ModelAnalysis.AnalyzeFile(_dir.Write("commented.obj", obj));

        Assert.Equal(36, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
    }

    [Fact]
    public void Read_WhenStatementsContinueAfterBackslash_JoinsTheLines()
    {
        // tests/Fixtures/Models/continued-lines.obj: vertices and faces split over lines ending in '\' (CRLF).
        string path = Path.Combine(AppContext.BaseDirectory, "Models", "continued-lines.obj");

        var a = ModelAnalysis.AnalyzeFile(path);

        Assert.Equal(12, a.Triangles);
        Assert.Equal(1000, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
        Assert.True(a.OrientationConsistent);
    }

    [Fact]
    public void Read_WhenContinuedLineNeverEnds_ThrowsLineTooLong()
    {
        // One statement continued over more than the line limit (1 MiB) must stop with a clear error.
        var obj = new System.Text.StringBuilder("v 0 0 0\n");
        for (int i = 0; i < 150_000; i++) obj.Append("f 1 2 \\\n");

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(_dir.Write("endless.obj", obj.ToString())));
        Assert.Equal("obj.line-too-long", e.Code);
    }

    [Theory]
    [InlineData("f 1 2 9")]
    [InlineData("f 1 2 0")]
    [InlineData("f -1 -2 -9")]
    public void Read_WhenIndexOutOfRange_ThrowsObjIndexOutOfRange(string face)
    {
        string obj = "v 0 0 0\nv 1 0 0\nv 0 1 0\n" + face + "\n";

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(_dir.Write("bad.obj", obj)));
        Assert.Equal("obj.index-out-of-range", e.Code);
    }

    [Fact]
    public void Read_WhenNoFaces_ThrowsModelEmpty()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(_dir.Write("points.obj", "v 0 0 0\nv 1 1 1\n")));
        Assert.Equal("model.empty", e.Code);
    }

    [Fact]
    public void Read_WhenCoordinateIsNotANumber_ThrowsMalformed()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(_dir.Write("x.obj", "v 0 zero 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")));
        Assert.Equal("obj.malformed", e.Code);
    }

    [Fact]
    public void Read_WhenObjContentHasNoExtension_DetectsObjFromContent()
    {
        string path = _dir.Write("upload", ModelFiles.Obj(Shapes.Tetrahedron()));

        Assert.Equal(ModelFormat.Obj, ModelReader.Read(path).Format);
    }

    [Fact]
    public void Read_WhenUnitsGivenAsCentimetres_ScalesToMillimetres()
    {
        string path = _dir.Write("cm.obj", ModelFiles.Obj(Shapes.Cube(2)));

        var a = ModelAnalysis.AnalyzeFile(path, new ReadOptions { Units = LengthUnit.Centimetre });

        Assert.Equal(8000, a.VolumeMm3, 6);
        Assert.Equal(new Vector3d(20, 20, 20), a.BoundingBoxMm.Size);
        Assert.DoesNotContain(a.Warnings, w => w.Code.StartsWith("units.", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenModelIsTinyInMillimetres_WarnsItIsProbablyMetres()
    {
        string path = _dir.Write("metres.stl", ModelFiles.BinaryStl(Shapes.Cube(0.05)));

        var mesh = ModelReader.Read(path);

        var warning = Assert.Single(mesh.Warnings, w => w.Code == "units.suspect-small");
        Assert.Contains("metres", warning.Message);
    }

    [Fact]
    public void Read_WhenModelIsHuge_WarnsAboutUnits()
    {
        var mesh = ModelReader.Read(_dir.Write("microns.stl", ModelFiles.BinaryStl(Shapes.Cube(20_000))));

        Assert.Contains(mesh.Warnings, w => w.Code == "units.suspect-large");
    }
}
