using System.Buffers.Binary;
using PrintFlow.Geometry.Preview;
using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class ModelPreviewTests
{
    [Fact]
    public void Build_WhenTheModelIsSmall_KeepsEveryTriangleAndTheBounds()
    {
        var mesh = ModelReader.Read(new MemoryStream(ModelFiles.BinaryStl(Shapes.Cube(20, 5, 5, 5))), "cube.stl");

        var preview = ModelPreview.Build(mesh);

        Assert.Equal(12, preview.Triangles);
        Assert.Equal(12, preview.SourceTriangles);
        Assert.Equal(new Vector3d(5, 5, 5), preview.Bounds.Min);
        Assert.Equal(new Vector3d(25, 25, 25), preview.Bounds.Max);
    }

    [Fact]
    public void Build_WhenTheModelHasMoreTrianglesThanTheBudget_ShrinksItWithinTheBudgetAndKeepsItsShape()
    {
        var sphere = Shapes.Sphere(40, 300, 300); // about 180,000 triangles
        var mesh = ModelReader.Read(new MemoryStream(ModelFiles.BinaryStl(sphere)), "sphere.stl");

        var preview = ModelPreview.Build(mesh, maxTriangles: 20_000);

        Assert.InRange(preview.Triangles, 2_000, 20_000);
        Assert.Equal(mesh.TriangleCount, preview.SourceTriangles);
        // Every corner stays near the sphere's surface: clustering moves vertices by less than a grid cell.
        for (var i = 0; i < preview.Positions.Length; i += 3)
        {
            var r = Math.Sqrt((preview.Positions[i] * preview.Positions[i]) + (preview.Positions[i + 1] * preview.Positions[i + 1]) + (preview.Positions[i + 2] * preview.Positions[i + 2]));
            Assert.InRange(r, 36, 40.5);
        }
    }

    [Fact]
    public void Build_WhenAFaceOverhangs_FlagsItButNotTheWallsOrTheFacesOnTheBed()
    {
        // A table: a slab on one leg. The slab's underside overhangs; the leg's bottom lies on the bed.
        var table = Shapes.Box(4, 4, 10, 8, 8, 0).Concat(Shapes.Box(20, 20, 2, 0, 0, 10)).ToList();
        var mesh = ModelReader.Read(new MemoryStream(ModelFiles.BinaryStl(table)), "table.stl");

        var preview = ModelPreview.Build(mesh);

        var flagged = Enumerable.Range(0, preview.Triangles).Where(t => preview.NeedsSupport[t] == 1).ToList();
        Assert.Equal(2, flagged.Count); // the slab's underside, two triangles
        Assert.All(flagged, t => Assert.Equal(10f, preview.Positions[(9 * t) + 2]));
    }

    [Fact]
    public void Encode_WritesTheDocumentedLayout()
    {
        var mesh = ModelReader.Read(new MemoryStream(ModelFiles.BinaryStl(Shapes.Cube(10))), "cube.stl");
        var preview = ModelPreview.Build(mesh);

        var bytes = preview.Encode();

        Assert.Equal("PFPV"u8.ToArray(), bytes[..4]);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(12ul, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(10f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(20 + (3 * 4))));
        Assert.Equal(44 + (12 * 36) + 12, bytes.Length);
    }
}
