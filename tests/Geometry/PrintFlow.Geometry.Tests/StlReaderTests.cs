using System.Text;
using PrintFlow.Geometry.Tests.Support;

namespace PrintFlow.Geometry.Tests;

public sealed class StlReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_WhenBinaryCube_WeldsToEightVertices()
    {
        string path = _dir.Write("cube.stl", ModelFiles.BinaryStl(Shapes.Cube()));

        var mesh = ModelReader.Read(path);

        Assert.Equal(ModelFormat.StlBinary, mesh.Format);
        Assert.Equal(12, mesh.TriangleCount);
        Assert.Equal(8, mesh.VertexCount);
    }

    [Fact]
    public void Read_WhenAsciiCube_DetectsAsciiAndWelds()
    {
        string path = _dir.Write("cube.stl", ModelFiles.AsciiStl(Shapes.Cube()));

        var mesh = ModelReader.Read(path);

        Assert.Equal(ModelFormat.StlAscii, mesh.Format);
        Assert.Equal(12, mesh.TriangleCount);
        Assert.Equal(8, mesh.VertexCount);
    }

    [Fact]
    public void Read_WhenBinaryStartsWithSolid_DetectsBinary()
    {
        // Many CAD exporters write "solid <name>" into the 80-byte header of a binary file.
        string path = _dir.Write("solid-header.stl", ModelFiles.BinaryStl(Shapes.Cube(), "solid part exported by SolidWorks"));

        var analysis = ModelAnalysis.AnalyzeFile(path);

        Assert.Equal(ModelFormat.StlBinary, analysis.Format);
        Assert.Equal(1000, analysis.VolumeMm3, 9);
    }

    [Fact]
    public void Read_WhenBinaryHeaderMentionsFacetButSizeMatches_StillDetectsBinary()
    {
        string path = _dir.Write("tricky.stl", ModelFiles.BinaryStl(Shapes.Tetrahedron(), "solid x facet normal endsolid"));

        Assert.Equal(ModelFormat.StlBinary, ModelReader.Read(path).Format);
    }

    [Fact]
    public void Read_WhenBinaryTruncated_ThrowsStlTruncated()
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Cube());
        string path = _dir.Write("short.stl", bytes[..^7]);

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(path));
        Assert.Equal("stl.truncated", e.Code);
    }

    [Fact]
    public void Read_WhenBinaryHasTrailingBytes_ThrowsTriangleCountMismatch()
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Cube()).Concat(new byte[13]).ToArray();
        string path = _dir.Write("long.stl", bytes);

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(path));
        Assert.Equal("stl.triangle-count-mismatch", e.Code);
    }

    [Fact]
    public void Read_WhenCountIsHuge_ThrowsTruncatedWithoutAllocating()
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Cube());
        BitConverter.TryWriteBytes(bytes.AsSpan(80), uint.MaxValue);
        string path = _dir.Write("huge-count.stl", bytes);

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(path));
        Assert.Equal("stl.truncated", e.Code);
    }

    [Fact]
    public void Read_WhenZeroTriangles_ThrowsModelEmpty()
    {
        string path = _dir.Write("empty.stl", ModelFiles.BinaryStl([]));

        Assert.Equal("model.empty", Assert.Throws<ModelFormatException>(() => ModelReader.Read(path)).Code);
    }

    [Fact]
    public void Read_WhenFileIsEmpty_ThrowsModelEmpty()
    {
        string path = _dir.Write("zero.stl", []);

        Assert.Equal("model.empty", Assert.Throws<ModelFormatException>(() => ModelReader.Read(path)).Code);
    }

    [Fact]
    public void Read_WhenCoordinateIsNaN_ThrowsNonFinite()
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Cube());
        BitConverter.TryWriteBytes(bytes.AsSpan(84 + 50 * 3 + 16), float.NaN);
        string path = _dir.Write("nan.stl", bytes);

        Assert.Equal("model.non-finite", Assert.Throws<ModelFormatException>(() => ModelReader.Read(path)).Code);
    }

    [Fact]
    public void Read_WhenLargeFileIsWeldedByTwoWorkers_SharesEveryCorner()
    {
        // 60 × 1000 UV sphere: 118,000 triangles, above the size where welding is split between two workers.
        var sphere = Shapes.Sphere(30, 60, 1000);
        string path = _dir.Write("sphere.stl", ModelFiles.BinaryStl(sphere));

        var mesh = ModelReader.Read(path, new ReadOptions { MaxDegreeOfParallelism = 2 });

        Assert.Equal(2 + 1000 * 59, mesh.VertexCount);
        Assert.True(MeshAnalyzer.Analyze(mesh).Watertight);
    }

    [Fact]
    public void Read_WhenLargeFileReadInTwoHalvesOrFromStream_GivesIdenticalMesh()
    {
        // The file path welds two halves at once; a MemoryStream is welded in one pass. Pricing caches results by
        // content, so both must number vertices identically.
        var bytes = ModelFiles.BinaryStl(Shapes.Sphere(30, 60, 1000));
        string path = _dir.Write("sphere.stl", bytes);

        var split = ModelReader.Read(path, new ReadOptions { MaxDegreeOfParallelism = 2 });
        var single = ModelReader.Read(new MemoryStream(bytes), "sphere.stl");

        Assert.True(split.Positions.SequenceEqual(single.Positions));
        Assert.True(split.Indices.SequenceEqual(single.Indices));
        Assert.Equal(MeshAnalyzer.Analyze(single).VolumeMm3, MeshAnalyzer.Analyze(split).VolumeMm3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Analyze_WhenLargeFileIsConvertedInVectorBlocks_MeasuresTheBoxOfEveryVertex(int threads)
    {
        // The reader measures the box while it widens the floats (24 coordinates per vector block, the rest one by
        // one, two halves at once with two threads); it must equal a plain minimum and maximum of the positions.
        // 2 + 997 × 59 vertices is not a multiple of 8, and the sphere sits off the origin so no axis is symmetric.
        var tris = Shapes.Translate(Shapes.Sphere(30, 60, 997), -7.25, 13.5, 41);
        string path = _dir.Write("off-centre.stl", ModelFiles.BinaryStl(tris));

        var options = new ReadOptions { MaxDegreeOfParallelism = threads, Units = LengthUnit.Centimetre };
        var mesh = ModelReader.Read(path, options);
        var p = mesh.Positions.ToArray();
        var xs = p.Where((_, i) => i % 3 == 0).ToArray();
        var ys = p.Where((_, i) => i % 3 == 1).ToArray();
        var zs = p.Where((_, i) => i % 3 == 2).ToArray();
        var box = MeshAnalyzer.Analyze(mesh).BoundingBoxMm;

        Assert.Equal(2 + 997 * 59, mesh.VertexCount);
        Assert.Equal(new Vector3d(xs.Min(), ys.Min(), zs.Min()), box.Min);
        Assert.Equal(new Vector3d(xs.Max(), ys.Max(), zs.Max()), box.Max);
        Assert.Equal(-372.5, box.Min.X, tolerance: 0.01); // (-7.25 - 30) cm, the nearest meridian a hair inside
        Assert.Equal(710, box.Max.Z, tolerance: 1e-9); // (41 + 30) cm: the pole
    }

    [Fact]
    public void Analyze_WhenOneOrTwoThreads_GivesIdenticalResults()
    {
        string path = _dir.Write("two-spheres.stl", ModelFiles.BinaryStl(
            [.. Shapes.Sphere(30, 60, 1000), .. Shapes.Translate(Shapes.Sphere(10, 40, 400), 100, 0, 0)]));

        var one = ModelAnalysis.AnalyzeFile(path, new ReadOptions { MaxDegreeOfParallelism = 1 }, new AnalysisOptions { MaxDegreeOfParallelism = 1 });
        var two = ModelAnalysis.AnalyzeFile(path, new ReadOptions { MaxDegreeOfParallelism = 2 }, new AnalysisOptions { MaxDegreeOfParallelism = 2 });

        Assert.Equal(2, two.Shells);
        Assert.Equal(one with { Warnings = [] }, two with { Warnings = [] });
        Assert.Equal(one.Warnings, two.Warnings);
    }

    [Fact]
    public void AnalyzeFile_WhenBigArraysAreReusedAcrossModels_GivesTheResultsOfAFreshRead()
    {
        // AnalyzeFile hands the mesh's arrays (and the weld and shell scratch) back to a pool for the next model;
        // a reused array holds the previous model's data, so each result must still match a read from scratch.
        // The open sphere (a cap removed) takes the parallel path's fallback: edges decide after the sums ran.
        var sphere = Shapes.Sphere(30, 60, 1000);
        var models = new (string Name, List<Tri> Tris)[]
        {
            ("big.stl", sphere),
            ("smaller.stl", Shapes.Sphere(12, 50, 900)),
            ("open.stl", sphere.Skip(1000).ToList()),
            ("two.stl", [.. Shapes.Sphere(20, 60, 1000), .. Shapes.Translate(Shapes.Sphere(10, 40, 400), 100, 0, 0)]),
        };
        var paths = models.Select(m => _dir.Write(m.Name, ModelFiles.BinaryStl(m.Tris))).ToArray();
        var expected = paths.Select(p => MeshAnalyzer.Analyze(ModelReader.Read(p))).ToArray();

        foreach (int threads in new[] { 1, 2, 1 })
            for (int i = 0; i < paths.Length; i++)
            {
                var again = ModelAnalysis.AnalyzeFile(paths[i], new ReadOptions { MaxDegreeOfParallelism = threads },
                    new AnalysisOptions { MaxDegreeOfParallelism = threads });
                Assert.Equal(expected[i] with { Warnings = [] }, again with { Warnings = [] });
                Assert.Equal(expected[i].Warnings, again.Warnings);
            }
        Assert.False(expected[2].Watertight);
        Assert.Equal(2, expected[3].Shells);
    }

    [Fact]
    public void Read_WhenLargeFileHasNaN_ThrowsNonFiniteNotAggregate()
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Sphere(30, 60, 1000));
        BitConverter.TryWriteBytes(bytes.AsSpan(84 + 50 * 77_777 + 28), float.PositiveInfinity);
        string path = _dir.Write("inf.stl", bytes);

        var twoThreads = new ReadOptions { MaxDegreeOfParallelism = 2 };
        Assert.Equal("model.non-finite", Assert.Throws<ModelFormatException>(() => ModelReader.Read(path, twoThreads)).Code);
    }

    [Fact]
    public void Read_WhenAsciiFacetHasFourVertices_ThrowsMalformed()
    {
        string text = ModelFiles.AsciiStl(Shapes.Tetrahedron()).Replace("    endloop", "      vertex 1 2 3\n    endloop");
        string path = _dir.Write("four.stl", text);

        Assert.Equal("stl.malformed", Assert.Throws<ModelFormatException>(() => ModelReader.Read(path)).Code);
    }

    [Fact]
    public void Read_WhenAsciiEndsMidFacet_ThrowsTruncated()
    {
        string text = ModelFiles.AsciiStl(Shapes.Tetrahedron());
        string path = _dir.Write("cut.stl", text[..(text.Length / 2)]);

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(path));
        Assert.True(e.Code is "stl.truncated" or "stl.malformed", e.Code);
    }

    [Fact]
    public void Read_WhenAsciiUsesCrLfAndSeveralSolids_ReadsAll()
    {
        string text = (ModelFiles.AsciiStl(Shapes.Cube(), "a") + ModelFiles.AsciiStl(Shapes.Cube(10, 20), "b")).Replace("\n", "\r\n");
        string path = _dir.Write("two-solids.stl", text);

        var analysis = ModelAnalysis.AnalyzeFile(path);

        Assert.Equal(24, analysis.Triangles);
        Assert.Equal(2, analysis.Shells);
    }

    [Fact]
    public void Read_WhenRandomBytesWithUnknownExtension_ThrowsNotAMesh()
    {
        string path = _dir.Write("notes.txt", Encoding.UTF8.GetBytes("Dear customer, here is my model.\n"));

        Assert.Equal("model.not-a-mesh", Assert.Throws<ModelFormatException>(() => ModelReader.Read(path)).Code);
    }

    [Fact]
    public void Read_WhenFileExceedsMaxFileBytes_ThrowsTooLarge()
    {
        string path = _dir.Write("cube.stl", ModelFiles.BinaryStl(Shapes.Cube()));

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(path, new ReadOptions { MaxFileBytes = 100 }));
        Assert.Equal("model.too-large", e.Code);
    }

    [Fact]
    public void Read_WhenMoreTrianglesThanAllowed_ThrowsTooManyTriangles()
    {
        string path = _dir.Write("cube.stl", ModelFiles.BinaryStl(Shapes.Cube()));

        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(path, new ReadOptions { MaxTriangles = 11 }));
        Assert.Equal("model.too-many-triangles", e.Code);
    }

    [Fact]
    public void Read_WhenNonSeekableStream_ReadsSameAsFile()
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Cube());
        using var stream = new ForwardOnlyStream(bytes);

        var analysis = ModelAnalysis.AnalyzeStream(stream, "upload.stl");

        Assert.Equal(1000, analysis.VolumeMm3, 9);
    }

    [Fact]
    public void Read_WhenFileMissing_ThrowsModelFormatException()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.Read(Path.Combine(_dir.Path, "nope.stl")));
        Assert.Equal("model.unreadable", e.Code);
    }
}

/// <summary>A network-like stream: no length, no seeking.</summary>
public sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 7)); // short reads
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
