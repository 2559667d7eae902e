using System.Text;
using PrintFlow.Geometry.Stl;
using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class BinaryStlWriterTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_WhenMeshReadFrom3mf_ReadsBackAsTheSameBinaryStlSolid()
    {
        var sphere = ModelFiles.RoundedToFloat(Shapes.Sphere(15, 24, 48));
        var original = ModelReader.Read(_dir.Write("part.3mf",
            ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, sphere), "<item objectid=\"1\"/>"))));

        using var stl = new MemoryStream();
        BinaryStlWriter.Write(original, stl);
        var copy = ModelReader.Read(_dir.Write("part.stl", stl.ToArray()));

        Assert.Equal(84 + 50 * original.TriangleCount, stl.Length);
        Assert.False(Encoding.ASCII.GetString(stl.ToArray(), 0, 5) == "solid", "a binary STL header must not look like ASCII STL");
        Assert.Equal(ModelFormat.StlBinary, copy.Format);
        Assert.Equal(original.TriangleCount, copy.TriangleCount);
        Assert.Equal(original.VertexCount, copy.VertexCount);
        Assert.Equal(original.Positions.ToArray(), copy.Positions.ToArray());
        Assert.Equal(original.Indices.ToArray(), copy.Indices.ToArray());
        Assert.Equal(MeshAnalyzer.Analyze(original).VolumeMm3, MeshAnalyzer.Analyze(copy).VolumeMm3, 9);
    }

    [Fact]
    public void Write_WhenMoreTrianglesThanOneChunk_WritesEveryRecordWithOutwardNormals()
    {
        // 80,000 triangles: many times the writer's 4096-record chunk.
        var mesh = ModelReader.Read(_dir.Write("cylinder.stl", ModelFiles.BinaryStl(Shapes.Cylinder(20, 10, 20_000))));

        using var stl = new MemoryStream();
        BinaryStlWriter.Write(mesh, stl);

        var bytes = stl.ToArray();
        Assert.Equal((uint)mesh.TriangleCount, BitConverter.ToUInt32(bytes, 80));
        Assert.Equal(84 + 50 * mesh.TriangleCount, bytes.Length);
        var top = mesh.Indices.ToArray().Chunk(3).Select((t, i) => (t, i))
            .First(x => x.t.All(v => mesh.GetVertex(v).Z == 10)).i;
        Assert.Equal(1f, BitConverter.ToSingle(bytes, 84 + 50 * top + 8), 6); // the top cap faces +Z
        Assert.Equal(MeshAnalyzer.Analyze(mesh).VolumeMm3, ModelAnalysis.AnalyzeStream(new MemoryStream(bytes), "c.stl").VolumeMm3, 6);
    }
}
