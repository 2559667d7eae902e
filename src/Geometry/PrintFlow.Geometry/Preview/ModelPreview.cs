using System.Buffers.Binary;

namespace PrintFlow.Geometry.Preview;

/// <summary>
/// A light copy of a model for a browser to draw: at most a given number of triangles (vertex clustering on a grid,
/// so the silhouette stays and small detail merges), each flagged where it needs support by the same rule as the
/// analysis (a face pointing down more steeply than the overhang angle, not lying on the bed).
/// </summary>
public sealed class ModelPreview
{
    /// <summary>"PFPV": the first four bytes of <see cref="Encode"/>.</summary>
    public static ReadOnlySpan<byte> Magic => "PFPV"u8;

    public const int FormatVersion = 1;

    private ModelPreview(float[] positions, byte[] needsSupport, BoundingBox bounds, long sourceTriangles)
    {
        Positions = positions;
        NeedsSupport = needsSupport;
        Bounds = bounds;
        SourceTriangles = sourceTriangles;
    }

    /// <summary>Nine coordinates (three corners, millimetres) per triangle, not indexed.</summary>
    public float[] Positions { get; }

    /// <summary>1 for a triangle that needs support, else 0.</summary>
    public byte[] NeedsSupport { get; }

    public BoundingBox Bounds { get; }

    public long SourceTriangles { get; }

    public int Triangles => NeedsSupport.Length;

    /// <summary>Builds the preview of <paramref name="mesh"/> with at most <paramref name="maxTriangles"/> triangles.</summary>
    public static ModelPreview Build(Mesh mesh, int maxTriangles = 50_000, double overhangAngleDegrees = 45)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTriangles, 100);
        var positions = mesh.Positions;
        var indices = mesh.Indices;
        var bounds = mesh.Bounds;
        if (mesh.TriangleCount <= maxTriangles)
        {
            return Flatten(positions, indices, bounds, mesh.TriangleCount, overhangAngleDegrees);
        }

        // About two triangles per grid cell on a surface: start at the resolution that would give the budget and
        // coarsen by 30% until the merged mesh fits (rarely more than two rounds).
        var size = bounds.Size;
        var longest = Math.Max(size.X, Math.Max(size.Y, size.Z));
        var cellsAlongLongest = Math.Max(4, Math.Sqrt(maxTriangles / 2.0) * 1.5);
        while (true)
        {
            var (clustered, clusteredIndices) = Cluster(positions, indices, bounds, longest / cellsAlongLongest);
            if (clusteredIndices.Length / 3 <= maxTriangles || cellsAlongLongest <= 4)
            {
                return Flatten(clustered, clusteredIndices, bounds, mesh.TriangleCount, overhangAngleDegrees);
            }

            cellsAlongLongest *= 0.7;
        }
    }

    /// <summary>Merges the vertices in each grid cell into their mean; drops triangles that collapse or repeat.</summary>
    private static (double[] Positions, int[] Indices) Cluster(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, BoundingBox bounds, double cell)
    {
        var vertexCount = p.Length / 3;
        var cellOf = new Dictionary<long, int>();
        var remap = new int[vertexCount];
        var sums = new List<double>();
        var counts = new List<int>();
        const long Span = 1 << 21; // cells per axis that fit in a 63-bit key
        for (var v = 0; v < vertexCount; v++)
        {
            var x = (long)Math.Clamp((p[3 * v] - bounds.Min.X) / cell, 0, Span - 1);
            var y = (long)Math.Clamp((p[(3 * v) + 1] - bounds.Min.Y) / cell, 0, Span - 1);
            var z = (long)Math.Clamp((p[(3 * v) + 2] - bounds.Min.Z) / cell, 0, Span - 1);
            var key = (((x * Span) + y) * Span) + z;
            if (!cellOf.TryGetValue(key, out var target))
            {
                target = counts.Count;
                cellOf.Add(key, target);
                sums.Add(0);
                sums.Add(0);
                sums.Add(0);
                counts.Add(0);
            }

            remap[v] = target;
            sums[3 * target] += p[3 * v];
            sums[(3 * target) + 1] += p[(3 * v) + 1];
            sums[(3 * target) + 2] += p[(3 * v) + 2];
            counts[target]++;
        }

        var positions = new double[sums.Count];
        for (var c = 0; c < counts.Count; c++)
        {
            positions[3 * c] = sums[3 * c] / counts[c];
            positions[(3 * c) + 1] = sums[(3 * c) + 1] / counts[c];
            positions[(3 * c) + 2] = sums[(3 * c) + 2] / counts[c];
        }

        var seen = new HashSet<(int, int, int)>();
        var kept = new List<int>();
        for (var t = 0; t < indices.Length; t += 3)
        {
            int a = remap[indices[t]], b = remap[indices[t + 1]], c = remap[indices[t + 2]];
            if (a == b || b == c || a == c)
            {
                continue;
            }

            // The same three cells in the same winding, whichever corner comes first, is one triangle.
            var first = Math.Min(a, Math.Min(b, c));
            var key = first == a ? (a, b, c) : first == b ? (b, c, a) : (c, a, b);
            if (seen.Add(key))
            {
                kept.Add(a);
                kept.Add(b);
                kept.Add(c);
            }
        }

        return (positions, [.. kept]);
    }

    private static ModelPreview Flatten(ReadOnlySpan<double> p, ReadOnlySpan<int> indices, BoundingBox bounds, long sourceTriangles, double overhangAngleDegrees)
    {
        var triangles = indices.Length / 3;
        var positions = new float[triangles * 9];
        var support = new byte[triangles];
        var sinLimit = Math.Sin(Math.Clamp(overhangAngleDegrees, 0, 90) * Math.PI / 180);
        var bed = bounds.Min.Z;
        var bedTolerance = Math.Max(1e-6, 1e-9 * Math.Max(bounds.Size.X, Math.Max(bounds.Size.Y, bounds.Size.Z)));
        for (var t = 0; t < triangles; t++)
        {
            int a = 3 * indices[3 * t], b = 3 * indices[(3 * t) + 1], c = 3 * indices[(3 * t) + 2];
            for (var k = 0; k < 3; k++)
            {
                positions[(9 * t) + k] = (float)p[a + k];
                positions[(9 * t) + 3 + k] = (float)p[b + k];
                positions[(9 * t) + 6 + k] = (float)p[c + k];
            }

            double e1x = p[b] - p[a], e1y = p[b + 1] - p[a + 1], e1z = p[b + 2] - p[a + 2];
            double e2x = p[c] - p[a], e2y = p[c + 1] - p[a + 1], e2z = p[c + 2] - p[a + 2];
            double nx = (e1y * e2z) - (e1z * e2y), ny = (e1z * e2x) - (e1x * e2z), nz = (e1x * e2y) - (e1y * e2x);
            var length = Math.Sqrt((nx * nx) + (ny * ny) + (nz * nz));
            var onBed = Math.Max(p[a + 2], Math.Max(p[b + 2], p[c + 2])) - bed <= bedTolerance;
            support[t] = length > 0 && nz <= -sinLimit * length && !onBed ? (byte)1 : (byte)0;
        }

        return new ModelPreview(positions, support, bounds, sourceTriangles);
    }

    /// <summary>
    /// Little-endian: "PFPV", version (u32), triangles (u32), source triangles (u64), bounds min xyz and max xyz
    /// (f32 × 6), positions (f32 × 9 per triangle), support flags (u8 per triangle).
    /// </summary>
    public byte[] Encode()
    {
        const int Header = 4 + 4 + 4 + 8 + (6 * 4);
        var bytes = new byte[Header + (Positions.Length * 4) + NeedsSupport.Length];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)Triangles);
        BinaryPrimitives.WriteUInt64LittleEndian(span[12..], (ulong)SourceTriangles);
        var box = new[] { Bounds.Min.X, Bounds.Min.Y, Bounds.Min.Z, Bounds.Max.X, Bounds.Max.Y, Bounds.Max.Z };
        for (var i = 0; i < box.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[(20 + (4 * i))..], (float)box[i]);
        }

        var offset = Header;
        foreach (var value in Positions)
        {
            BinaryPrimitives.WriteSingleLittleEndian(span[offset..], value);
            offset += 4;
        }

        NeedsSupport.CopyTo(span[offset..]);
        return bytes;
    }
}
