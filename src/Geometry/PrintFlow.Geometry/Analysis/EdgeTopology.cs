using System.Buffers;

namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Pairs up the half-edges of a welded mesh. Instead of a hash map, half-edges are bucketed by their lower vertex
/// (a counting sort, linear and cache-friendly) and matched within each bucket, which holds only a handful of entries
/// on a real mesh. Triangles with a repeated vertex index carry no edges (they are collapsed, not holes).
/// </summary>
internal sealed class EdgeTopology : IDisposable
{
    public const int Boundary = -1;
    public const int NonManifold = -2;

    /// <summary>For half-edge 3t+k (from corner k to corner k+1 of triangle t): its partner, or Boundary/NonManifold.</summary>
    public int[] Partner { get; }
    public long BoundaryEdges { get; }
    public long NonManifoldEdges { get; }
    /// <summary>Edges shared by two faces that traverse it in the same direction.</summary>
    public long InconsistentEdges { get; }
    public long CollapsedTriangles { get; }

    public EdgeTopology(ReadOnlySpan<int> indices, int vertexCount)
    {
        int halfEdges = indices.Length;
        Partner = ArrayPool<int>.Shared.Rent(Math.Max(1, halfEdges));
        var partner = Partner;
        int[] start = ArrayPool<int>.Shared.Rent(vertexCount + 1);
        ulong[] entries = ArrayPool<ulong>.Shared.Rent(Math.Max(1, halfEdges));
        try
        {
            Array.Clear(start, 0, vertexCount + 1);
            long collapsed = 0;
            // Pass 1: count half-edges per lower vertex; mark collapsed triangles' half-edges as boundary-less.
            for (int t = 0; t < halfEdges; t += 3)
            {
                int a = indices[t], b = indices[t + 1], c = indices[t + 2];
                if (a == b || b == c || a == c) { collapsed++; continue; }
                start[Math.Min(a, b) + 1]++;
                start[Math.Min(b, c) + 1]++;
                start[Math.Min(c, a) + 1]++;
            }
            for (int v = 0; v < vertexCount; v++) start[v + 1] += start[v];

            // Pass 2: scatter. Key = higher vertex << 32 | half-edge << 1 | (1 if the half-edge runs low→high).
            // start[v] is used as the fill cursor and ends up at the bucket's end, i.e. the next bucket's start.
            for (int t = 0; t < halfEdges; t += 3)
            {
                int a = indices[t], b = indices[t + 1], c = indices[t + 2];
                if (a == b || b == c || a == c)
                {
                    partner[t] = partner[t + 1] = partner[t + 2] = Boundary;
                    continue;
                }
                Scatter(entries, start, a, b, t);
                Scatter(entries, start, b, c, t + 1);
                Scatter(entries, start, c, a, t + 2);
            }

            long boundary = 0, nonManifold = 0, inconsistent = 0;
            int bucketStart = 0;
            for (int v = 0; v < vertexCount; v++)
            {
                int bucketEnd = start[v];
                int bucketSize = bucketEnd - bucketStart;
                // Buckets are tiny on real meshes; a fan of thousands of triangles (a cone apex) must not go quadratic.
                if (bucketSize > 32) Array.Sort(entries, bucketStart, bucketSize);
                else if (bucketSize > 1) InsertionSort(entries, bucketStart, bucketEnd);
                int i = bucketStart;
                while (i < bucketEnd)
                {
                    uint hi = (uint)(entries[i] >> 32);
                    int j = i + 1;
                    while (j < bucketEnd && (uint)(entries[j] >> 32) == hi) j++;
                    int run = j - i;
                    if (run == 2)
                    {
                        uint e0 = (uint)entries[i], e1 = (uint)entries[i + 1];
                        int h0 = (int)(e0 >> 1), h1 = (int)(e1 >> 1);
                        partner[h0] = h1;
                        partner[h1] = h0;
                        if ((e0 & 1) == (e1 & 1)) inconsistent++;
                    }
                    else if (run == 1)
                    {
                        partner[(int)((uint)entries[i] >> 1)] = Boundary;
                        boundary++;
                    }
                    else
                    {
                        nonManifold++;
                        for (int k = i; k < j; k++) partner[(int)((uint)entries[k] >> 1)] = NonManifold;
                    }
                    i = j;
                }
                bucketStart = bucketEnd;
            }
            BoundaryEdges = boundary;
            NonManifoldEdges = nonManifold;
            InconsistentEdges = inconsistent;
            CollapsedTriangles = collapsed;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(start);
            ArrayPool<ulong>.Shared.Return(entries);
        }
    }

    private static void Scatter(ulong[] entries, int[] cursor, int from, int to, int halfEdge)
    {
        int lo, hi; uint forward;
        if (from < to) { lo = from; hi = to; forward = 1; } else { lo = to; hi = from; forward = 0; }
        entries[cursor[lo]++] = ((ulong)(uint)hi << 32) | ((uint)halfEdge << 1) | forward;
    }

    private static void InsertionSort(ulong[] a, int from, int to)
    {
        for (int i = from + 1; i < to; i++)
        {
            ulong x = a[i];
            int j = i - 1;
            while (j >= from && a[j] > x) { a[j + 1] = a[j]; j--; }
            a[j + 1] = x;
        }
    }

    public void Dispose() => ArrayPool<int>.Shared.Return(Partner);
}
