using System.IO.Compression;
using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class ThreeMfReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    private MeshAnalysis Analyze(byte[] package, ReadOptions? options = null) =>
        ModelAnalysis.AnalyzeFile(_dir.Write($"p{Guid.NewGuid():N}.3mf", package), options);

    [Fact]
    public void Read_WhenSingleObject_ReadsMesh()
    {
        string xml = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(10)), "<item objectid=\"1\"/>");

        var a = Analyze(ModelFiles.ThreeMf(xml));

        Assert.Equal(ModelFormat.ThreeMf, a.Format);
        Assert.Equal(1000, a.VolumeMm3, 9);
        Assert.True(a.Watertight);
    }

    [Fact]
    public void Read_WhenSeveralObjectsAndTranslatedItems_PlacesEachItem()
    {
        string resources = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(10)) + ModelFiles.ThreeMfMeshObject(2, Shapes.Tetrahedron(6));
        string build = "<item objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 100 0 0\"/><item objectid=\"2\"/>";

        var a = Analyze(ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, build)));

        Assert.Equal(2, a.Shells);
        Assert.Equal(1036, a.VolumeMm3, 9);
        Assert.Equal(110, a.BoundingBoxMm.Max.X, 9);
    }

    [Fact]
    public void Read_WhenComponentsWithScaleTransform_ComposesTransforms()
    {
        // Object 2 holds object 1 twice: once scaled by 2, once moved; the build places object 2 moved up by 5.
        string resources = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(10)) +
            """<object id="2" type="model"><components><component objectid="1" transform="2 0 0 0 2 0 0 0 2 0 0 0"/><component objectid="1" transform="1 0 0 0 1 0 0 0 1 50 0 0"/></components></object>""";
        string build = "<item objectid=\"2\" transform=\"1 0 0 0 1 0 0 0 1 0 0 5\"/>";

        var a = Analyze(ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, build)));

        Assert.Equal(8000 + 1000, a.VolumeMm3, 6);
        Assert.Equal(5, a.BoundingBoxMm.Min.Z, 9);
        Assert.Equal(2, a.Shells);
    }

    [Fact]
    public void Read_WhenItemIsMirrored_KeepsVolumePositive()
    {
        string xml = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(10)),
            "<item objectid=\"1\" transform=\"-1 0 0 0 1 0 0 0 1 0 0 0\"/>");

        var a = Analyze(ModelFiles.ThreeMf(xml));

        Assert.Equal(1000, a.VolumeMm3, 9);
        Assert.True(a.OrientationConsistent);
    }

    [Theory]
    [InlineData("centimeter", 10)]
    [InlineData("inch", 25.4)]
    [InlineData("micron", 0.001)]
    public void Read_WhenUnitDeclared_ConvertsToMillimetres(string unit, double mm)
    {
        string xml = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)), "<item objectid=\"1\"/>", unit);

        var a = Analyze(ModelFiles.ThreeMf(xml));

        Assert.Equal(mm * mm * mm, a.VolumeMm3, 1e-9 * mm * mm * mm);
    }

    [Fact]
    public void Read_WhenReadOptionsGiveUnits_OverridesDeclaredUnit()
    {
        string xml = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)), "<item objectid=\"1\"/>", "meter");

        var a = Analyze(ModelFiles.ThreeMf(xml), new ReadOptions { Units = LengthUnit.Centimetre });

        Assert.Equal(1000, a.VolumeMm3, 9);
    }

    [Fact]
    public void Read_WhenObjectInOtherPart_FollowsProductionPath()
    {
        string objectPart = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(7, Shapes.Cube(10)), "");
        string root = ModelFiles.ThreeMfModelXml(
            """<object id="1" type="model"><components><component p:path="/3D/Objects/object_7.model" objectid="7"/></components></object>""",
            "<item objectid=\"1\"/>");

        var a = Analyze(ModelFiles.ThreeMf(root, ("3D/Objects/object_7.model", objectPart)));

        Assert.Equal(1000, a.VolumeMm3, 9);
    }

    [Fact]
    public void Read_WhenTriangleIndexOutOfRange_Throws3mfIndexOutOfRange()
    {
        string resources = """<object id="1"><mesh><vertices><vertex x="0" y="0" z="0"/><vertex x="1" y="0" z="0"/><vertex x="0" y="1" z="0"/></vertices><triangles><triangle v1="0" v2="1" v3="3"/></triangles></mesh></object>""";

        var e = Assert.Throws<ModelFormatException>(() => Analyze(ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, "<item objectid=\"1\"/>"))));
        Assert.Equal("3mf.index-out-of-range", e.Code);
    }

    [Fact]
    public void Read_WhenComponentRefersToItself_ThrowsInsteadOfRecursingForever()
    {
        string resources = """<object id="1"><components><component objectid="1"/></components></object>""";

        var e = Assert.Throws<ModelFormatException>(() => Analyze(ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, "<item objectid=\"1\"/>"))));
        Assert.Equal("3mf.component-cycle", e.Code);
    }

    [Fact]
    public void Read_WhenEmptyComponentsNestExponentially_RefusesAsTooComplex()
    {
        // Each level places the next one ten times: 10^12 instances of nothing, which must not run for ever.
        var sb = new System.Text.StringBuilder("<object id=\"1\"><components/></object>");
        for (int id = 2; id <= 13; id++)
            sb.Append($"<object id=\"{id}\"><components>{string.Concat(Enumerable.Repeat($"<component objectid=\"{id - 1}\"/>", 10))}</components></object>");

        var e = Assert.Throws<ModelFormatException>(() => Analyze(ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(sb.ToString(), "<item objectid=\"13\"/>"))));
        Assert.Equal("model.too-complex", e.Code);
    }

    [Fact]
    public void Read_WhenPartIsAZipBomb_Throws3mfTooLarge()
    {
        // 200 MB of spaces compress to a few hundred KB: a ratio no model has.
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            var rels = zip.CreateEntry("_rels/.rels");
            using (var s = rels.Open())
                s.Write("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Target=\"/3D/3dmodel.model\" Id=\"r\" Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>"u8);
            var model = zip.CreateEntry("3D/3dmodel.model", CompressionLevel.SmallestSize);
            using var stream = model.Open();
            stream.Write("<model xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\">"u8);
            var spaces = new byte[1 << 20];
            Array.Fill(spaces, (byte)' ');
            for (int i = 0; i < 200; i++) stream.Write(spaces);
        }

        var e = Assert.Throws<ModelFormatException>(() => Analyze(memory.ToArray()));
        Assert.Equal("3mf.too-large", e.Code);
    }

    [Fact]
    public void Read_WhenDoctypeDeclaresEntities_RefusesDtd()
    {
        string xml = """<?xml version="1.0"?><!DOCTYPE model [<!ENTITY a "aaaaaaaaaa">]><model xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources/><build/></model>""";

        var e = Assert.Throws<ModelFormatException>(() => Analyze(ModelFiles.ThreeMf(xml)));
        Assert.Equal("3mf.malformed-xml", e.Code);
    }

    [Fact]
    public void Read_WhenNamed3mfButNotZip_ThrowsNotAZip()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(_dir.Write("x.3mf", "hello")));
        Assert.Equal("3mf.not-a-zip", e.Code);
    }

    [Fact]
    public void Read_WhenZipIsCorrupt_Throws3mfCorrupt()
    {
        var bytes = ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube()), "<item objectid=\"1\"/>"));
        var broken = bytes[..(bytes.Length / 2)];

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(_dir.Write("half.3mf", broken)));
        Assert.StartsWith("3mf.", e.Code);
    }
}
