using System.Numerics;
using System.Runtime.CompilerServices;
using PrintFlow.Geometry.Memory;

namespace PrintFlow.Geometry.Analysis;

/// <summary>
/// Pairs up the half-edges of a welded mesh. Instead of a hash map, half-edges are bucketed by their lower vertex
/// (a counting sort: linear and cache-friendly) and matched within each bucket, which holds only a handful of entries
/// on a real mesh. The vertex range is split in two so both cores work on disjoint buckets without locks; the split
/// is by index, never by timing, so results are identical on every run. When only the counts are wanted (the common,
/// closed case) an entry is 32 bits; with partners it also carries the half-edge (64 bits). Triangles with a repeated
/// vertex index carry no edges (they are collapsed, not holes).
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
        var workers = parallel && halfEdges >= ParallelThresholdHalfEdges && Environment.ProcessorCount > 1
            ? new[] { new Worker(0, vertexCount / 2), new Worker(vertexCount / 2, vertexCount) }
            : new[] { new Worker(0, vertexCount) };
        if (withPartner)
        {
            var partner = LargeArrays.Rent<int>(Math.Max(1, halfEdges));
            Pair<ulong, WithHalfEdge>(workers, indices, halfEdges, vertexCount, partner);
            Partner = partner;
        }
        else
        {
            // Only counts are wanted: an entry needs no half-edge number, which halves the memory the pass moves.
            Pair<uint, KeyOnly>(workers, indices, halfEdges, vertexCount, null);
        }
        foreach (var w in workers)
        {
            BoundaryEdges += w.BoundaryCount;
            NonManifoldEdges += w.NonManifoldCount;
            InconsistentEdges += w.InconsistentCount;
        }
        CollapsedTriangles = workers[0].Collapsed;
    }

    private static void Pair<T, TCodec>(Worker[] workers, int[] indices, int halfEdges, int vertexCount, int[]? partner)
        where T : unmanaged, IBinaryInteger<T>
        where TCodec : IEntryCodec<T>
    {
        int[] start = LargeArrays.Rent<int>(vertexCount + 1);
        T[] entries = LargeArrays.Rent<T>(Math.Max(1, halfEdges));
        try
        {
            Array.Clear(start, 0, vertexCount + 1);
            Run(workers, w => w.Count(indices.AsSpan(0, halfEdges), start));
            for (int i = 1; i < workers.Length; i++) workers[i].Offset = workers[i - 1].Offset + workers[i - 1].Total;
            Run(workers, w => w.Match<T, TCodec>(indices.AsSpan(0, halfEdges), start, entries, partner));
        }
        finally
        {
            LargeArrays.Return(start);
            LargeArrays.Return(entries);
        }
    }

    private static void Run(Worker[] workers, Action<Worker> action)
    {
        if (workers.Length == 1) action(workers[0]);
        else Parallel.Invoke(() => action(workers[0]), () => action(workers[1]));
    }

    /// <summary>
    /// A bucket entry: the edge's higher vertex (the sort key, in the high bits, so equal edges sort next to each
    /// other), whether the half-edge runs low→high (the lowest bit) and, when partners are wanted, the half-edge.
    /// </summary>
    private interface IEntryCodec<T> where T : unmanaged
    {
        static abstract T Make(int hi, int halfEdge, uint forward);
        static abstract uint Hi(T entry);
        static abstract uint Forward(T entry);
        static abstract int HalfEdge(T entry);
    }

    // hi << 32 | half-edge << 1 | forward
    private readonly struct WithHalfEdge : IEntryCodec<ulong>
    {
        public static ulong Make(int hi, int halfEdge, uint forward) => ((ulong)(uint)hi << 32) | ((uint)halfEdge << 1) | forward;
        public static uint Hi(ulong entry) => (uint)(entry >> 32);
        public static uint Forward(ulong entry) => (uint)entry & 1;
        public static int HalfEdge(ulong entry) => (int)((uint)entry >> 1);
    }

    // hi << 1 | forward (vertex indices stay below 2^31, so this fits)
    private readonly struct KeyOnly : IEntryCodec<uint>
    {
        public static uint Make(int hi, int halfEdge, uint forward) => ((uint)hi << 1) | forward;
        public static uint Hi(uint entry) => entry >> 1;
        public static uint Forward(uint entry) => entry & 1;
        public static int HalfEdge(uint entry) => throw new InvalidOperationException("Key-only entries carry no half-edge.");
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
        public void Match<T, TCodec>(ReadOnlySpan<int> indices, int[] start, T[] entries, int[]? partner)
            where T : unmanaged, IBinaryInteger<T>
            where TCodec : IEntryCodec<T>
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
                Scatter<T, TCodec>(entries, start, a, b, t);
                Scatter<T, TCodec>(entries, start, b, c, t + 1);
                Scatter<T, TCodec>(entries, start, c, a, t + 2);
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
                    uint hi = TCodec.Hi(entries[i]);
                    int j = i + 1;
                    while (j < bucketEnd && TCodec.Hi(entries[j]) == hi) j++;
                    int run = j - i;
                    if (run == 2)
                    {
                        if (TCodec.Forward(entries[i]) == TCodec.Forward(entries[i + 1])) inconsistent++;
                        if (partner is not null)
                        {
                            int h0 = TCodec.HalfEdge(entries[i]), h1 = TCodec.HalfEdge(entries[i + 1]);
                            partner[h0] = h1;
                            partner[h1] = h0;
                        }
                    }
                    else if (run == 1)
                    {
                        boundary++;
                        if (partner is not null) partner[TCodec.HalfEdge(entries[i])] = EdgeTopology.Boundary;
                    }
                    else
                    {
                        nonManifold++;
                        if (partner is not null)
                            for (int k = i; k < j; k++) partner[TCodec.HalfEdge(entries[k])] = EdgeTopology.NonManifold;
                    }
                    i = j;
                }
                bucketStart = bucketEnd;
            }
            BoundaryCount = boundary;
            NonManifoldCount = nonManifold;
            InconsistentCount = inconsistent;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Scatter<T, TCodec>(T[] entries, int[] cursor, int u, int w, int halfEdge)
            where T : unmanaged
            where TCodec : IEntryCodec<T>
        {
            int lo, hi; uint forward;
            if (u < w) { lo = u; hi = w; forward = 1; } else { lo = w; hi = u; forward = 0; }
            if ((uint)(lo - from) >= (uint)(to - from)) return;
            entries[Offset + cursor[lo + 1]++] = TCodec.Make(hi, halfEdge, forward);
        }
    }

    private static void InsertionSort<T>(T[] a, int from, int to) where T : unmanaged, IBinaryInteger<T>
    {
        for (int i = from + 1; i < to; i++)
        {
            T x = a[i];
            int j = i - 1;
            while (j >= from && a[j] > x) { a[j + 1] = a[j]; j--; }
            a[j + 1] = x;
        }
    }

    public void Dispose()
    {
        LargeArrays.Return(Partner);
    }
}
