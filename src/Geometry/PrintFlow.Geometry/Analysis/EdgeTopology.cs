using System.Runtime.CompilerServices;
using System.Buffers;
using PrintFlow.Geometry.Memory;

namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Pairs up the half-edges of a welded mesh. Instead of a hash map, half-edges are bucketed by their lower vertex
/// (a counting sort: linear and cache-friendly) and matched within each bucket, which holds only a handful of entries
/// on a real mesh. The vertex range is split in two so both cores work on disjoint buckets without locks; the split
/// is by index, never by timing, so results are identical on every run. Triangles with a repeated vertex index carry
/// no edges (they are collapsed, not holes).
/// </summary>
internal sealed class EdgeTopology : IDisposable
{
    public const int Boundary = -1;
    public const int NonManifold = -2;
    private const int ParallelThresholdHalfEdges = 300_000;

    /// <summary>
    /// When requested: for half-edge 3t+k (corner k to corner k+1 of triangle t) its partner, or Boundary/NonManifold.
    /// </summary>
    public int[]? Partner { get; }
    public long BoundaryEdges { get; }
    public long NonManifoldEdges { get; }
    /// <summary>Edges shared by two faces that traverse it in the same direction.</summary>
    public long InconsistentEdges { get; }
    public long CollapsedTriangles { get; }

    /// <param name="indices">The mesh's index array (an array, not a span, so both workers can share it).</param>
    public EdgeTopology(int[] indices, int halfEdges, int vertexCount, bool withPartner, bool parallel)
    {
        int[]? partner = withPartner ? ArrayPool<int>.Shared.Rent(Math.Max(1, halfEdges)) : null;
        int[] start = ArrayPool<int>.Shared.Rent(vertexCount + 1);
        ulong[] entries = ArrayPool<ulong>.Shared.Rent(Math.Max(1, halfEdges));
        // A freshly rented big array is not touched yet: ask for huge pages first (a no-op for a reused one).
        LargeArrays.Advise(entries);
        LargeArrays.Advise(start);
        if (partner is not null) LargeArrays.Advise(partner);
        try
        {
            Array.Clear(start, 0, vertexCount + 1);
            var workers = parallel && halfEdges >= ParallelThresholdHalfEdges && Environment.ProcessorCount > 1
                ? new[] { new Worker(0, vertexCount / 2), new Worker(vertexCount / 2, vertexCount) }
                : new[] { new Worker(0, vertexCount) };
            Run(workers, w => w.Count(indices.AsSpan(0, halfEdges), start));
            for (int i = 1; i < workers.Length; i++) workers[i].Offset = workers[i - 1].Offset + workers[i - 1].Total;
            Run(workers, w => w.Match(indices.AsSpan(0, halfEdges), start, entries, partner));
            Partner = partner;
            foreach (var w in workers)
            {
                BoundaryEdges += w.BoundaryCount;
                NonManifoldEdges += w.NonManifoldCount;
                InconsistentEdges += w.InconsistentCount;
            }
            CollapsedTriangles = workers[0].Collapsed;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(start);
            ArrayPool<ulong>.Shared.Return(entries);
        }
    }

    private static void Run(Worker[] workers, Action<Worker> action)
    {
        if (workers.Length == 1) action(workers[0]);
        else Parallel.Invoke(() => action(workers[0]), () => action(workers[1]));
    }

    private sealed class Worker(int from, int to)
    {
        public int Offset;
        public int Total;
        public long BoundaryCount, NonManifoldCount, InconsistentCount, Collapsed;

        // Pass 1: count half-edges per lower vertex in [from, to), then prefix-sum locally.
        public void Count(ReadOnlySpan<int> indices, int[] start)
        {
            long collapsed = 0;
            for (int t = 0; t < indices.Length; t += 3)
            {
                int a = indices[t], b = indices[t + 1], c = indices[t + 2];
                if (a == b || b == c || a == c) { collapsed++; continue; }
                int ab = Math.Min(a, b), bc = Math.Min(b, c), ca = Math.Min(c, a);
                if ((uint)(ab - from) < (uint)(to - from)) start[ab + 1]++;
                if ((uint)(bc - from) < (uint)(to - from)) start[bc + 1]++;
                if ((uint)(ca - from) < (uint)(to - from)) start[ca + 1]++;
            }
            int sum = 0;
            for (int v = from; v < to; v++) { int n = start[v + 1]; start[v + 1] = sum; sum += n; }
            Total = sum;
            Collapsed = collapsed;
        }

        // Pass 2: scatter into buckets, then match within each bucket.
        public void Match(ReadOnlySpan<int> indices, int[] start, ulong[] entries, int[]? partner)
        {
            // start[v + 1] holds the local start of bucket v; it becomes the fill cursor and ends at the bucket's end.
            for (int t = 0; t < indices.Length; t += 3)
            {
                int a = indices[t], b = indices[t + 1], c = indices[t + 2];
                if (a == b || b == c || a == c)
                {
                    if (partner is not null && from == 0) partner[t] = partner[t + 1] = partner[t + 2] = EdgeTopology.Boundary;
                    continue;
                }
                Scatter(entries, start, a, b, t);
                Scatter(entries, start, b, c, t + 1);
                Scatter(entries, start, c, a, t + 2);
            }

            long boundary = 0, nonManifold = 0, inconsistent = 0;
            int bucketStart = Offset;
            for (int v = from; v < to; v++)
            {
                int bucketEnd = Offset + start[v + 1];
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
                        if ((e0 & 1) == (e1 & 1)) inconsistent++;
                        if (partner is not null)
                        {
                            int h0 = (int)(e0 >> 1), h1 = (int)(e1 >> 1);
                            partner[h0] = h1;
                            partner[h1] = h0;
                        }
                    }
                    else if (run == 1)
                    {
                        boundary++;
                        if (partner is not null) partner[(int)((uint)entries[i] >> 1)] = EdgeTopology.Boundary;
                    }
                    else
                    {
                        nonManifold++;
                        if (partner is not null)
                            for (int k = i; k < j; k++) partner[(int)((uint)entries[k] >> 1)] = EdgeTopology.NonManifold;
                    }
                    i = j;
                }
                bucketStart = bucketEnd;
            }
            BoundaryCount = boundary;
            NonManifoldCount = nonManifold;
            InconsistentCount = inconsistent;
        }

        // Key = higher vertex << 32 | half-edge << 1 | (1 if the half-edge runs low→high).
        private void Scatter(ulong[] entries, int[] cursor, int u, int w, int halfEdge)
        {
            int lo, hi; uint forward;
            if (u < w) { lo = u; hi = w; forward = 1; } else { lo = w; hi = u; forward = 0; }
            if ((uint)(lo - from) >= (uint)(to - from)) return;
            entries[Offset + cursor[lo + 1]++] = ((ulong)(uint)hi << 32) | ((uint)halfEdge << 1) | forward;
        }
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

    public void Dispose()
    {
        if (Partner is not null) ArrayPool<int>.Shared.Return(Partner);
    }
}
