using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using PrintFlow.Geometry.Analysis;
using PrintFlow.Geometry.Memory;

namespace PrintFlow.Geometry.Stl;

/// <summary>
/// Open-addressing weld table over float32 triples (exact bits, -0 folded into +0). Each slot holds the key itself
/// next to the vertex index, so a lookup costs one cache miss, and records are processed in batches whose slots are
/// prefetched first: the probes of a batch then overlap in memory instead of waiting for each other.
/// Two welders may work on the two halves of a file at once; <see cref="Absorb"/> then folds the second into the
/// first in the second's first-seen order, which yields exactly the numbering a single welder would have produced.
/// </summary>
internal sealed unsafe class FloatWelder
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public uint X, Y, Z;
        public int IndexPlusOne; // 0 = empty
    }

    private const int Batch = 64; // records per prefetch batch: 192 probes in flight
    // Exporters write neighbouring triangles close together, so most corners were seen a few hundred triangles ago:
    // a direct-mapped cache of recent vertices that stays in L2 answers them without touching the big table.
    private const int RecentBits = 14;

    private uint[] _xyz;   // float bits of each welded vertex, in first-seen order
    private Slot[] _table; // pinned (rented) so slots can be prefetched by address; may be longer than the capacity
    private Slot[] _recent; // rented like the table (256 KB: fresh, it would cost page faults per model)
    private int _mask;     // capacity - 1
    private int _count;
    private bool _sealed; // after Absorb the table no longer holds every vertex
    // With absorbing: one bit per hash bucket, set for every vertex in the table. Most of a later welder's vertices
    // are not here (only the seam between the halves is shared); the filter, small enough to stay in L2, turns them
    // away without a probe of the big table, which costs a memory round trip each.
    private ulong[]? _filter;
    private readonly int _filterMask;

    /// <param name="triangles">The mesh's triangle count.</param>
    /// <param name="absorbs">This welder welds the first half of the mesh and will absorb a welder of the second
    /// (<see cref="Absorb"/>): its table is sized for its half, and it keeps a membership filter.</param>
    public FloatWelder(int triangles, bool absorbs = false)
    {
        if (absorbs)
        {
            int bits = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(triangles * 2L, 1 << 12, 1 << 28));
            _filter = LargeArrays.Rent<ulong>(bits / 64, zeroed: true);
            _filterMask = bits - 1;
        }
        // A closed mesh has about half as many vertices as triangles: a table of ~triangles slots is half full. A
        // welder that absorbs welds only the first half itself (the table never holds the other half's vertices),
        // while its vertex list ends up with the whole mesh's.
        int welded = absorbs ? triangles / 2 : triangles;
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(welded, 64, 1 << 28));
        _table = LargeArrays.Rent<Slot>(capacity, zeroed: true, pinned: true);
        _recent = LargeArrays.Rent<Slot>(1 << RecentBits, zeroed: true, pinned: true);
        _mask = capacity - 1;
        _xyz = LargeArrays.Rent<uint>((Math.Min(triangles, 1 << 26) / 2 + 64) * 3);
    }

    public int Count => _count;

    /// <summary>Welds the corners of <paramref name="count"/> records, writing their vertex indices.</summary>
    public void AddRecords(ReadOnlySpan<byte> records, int count, Span<int> indices)
    {
        if (records.Length < count * BinaryStlReader.RecordBytes || indices.Length < count * 3)
            throw new ArgumentException("The record and index spans do not match the record count.");
        if (_sealed) throw new InvalidOperationException("A welder that absorbed another cannot weld more records.");
        if (!BitConverter.IsLittleEndian) { AddRecordsPortable(records, count, indices); return; }
        // Corners that missed the recent cache: output position, key, hash (its table slot) and recent-cache slot. A miss also enters the
        // cache at once as "pending" (a negative index), so the same corner later in the batch (the next triangle
        // of a strip) becomes an alias of that probe instead of a second one.
        var pending = stackalloc Pending[Batch * 3];
        var resolved = stackalloc int[Batch * 3];
        var aliases = stackalloc long[Batch * 3]; // output position << 32 | pending number
        fixed (byte* recordBase = records)
        fixed (int* outputBase = indices)
        fixed (Slot* recent = _recent)
        {
            for (int first = 0; first < count; first += Batch)
            {
                int n = Math.Min(Batch, count - first);
                // Pass 1: read the corner bits out of the 50-byte records (unaligned), check, hash, answer from the
                // recent cache where possible and prefetch the table slot of the rest. The table lives on the pinned
                // heap; it is replaced only by Grow (in pass 2), so its address is taken once per batch.
                Slot* table = (Slot*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_table));
                int mask = _mask, misses = 0, aliasCount = 0;
                // Corners start 12 bytes into a record (after the normal, which is ignored: it is recomputed).
                byte* corner = recordBase + (long)first * BinaryStlReader.RecordBytes + 12;
                int* output = outputBase + (long)first * 3;
                for (int r = 0; r < n; r++, corner += BinaryStlReader.RecordBytes)
                {
                    for (int k = 0; k < 3; k++)
                    {
                        uint x = Unsafe.ReadUnaligned<uint>(corner + 12 * k);
                        uint y = Unsafe.ReadUnaligned<uint>(corner + 12 * k + 4);
                        uint z = Unsafe.ReadUnaligned<uint>(corner + 12 * k + 8);
                        // Exponent all ones means NaN or infinity: adding one to an all-ones exponent carries into bit 31.
                        if (((((x & 0x7F800000) + 0x00800000) | ((y & 0x7F800000) + 0x00800000) | ((z & 0x7F800000) + 0x00800000)) & 0x80000000) != 0)
                            throw Errors.NonFinite();
                        x = x == 0x80000000 ? 0 : x; // -0 welds with +0
                        y = y == 0x80000000 ? 0 : y;
                        z = z == 0x80000000 ? 0 : z;
                        // Most corners are answered by the recent cache, so its slot comes from a cheaper mix; the full
                        // hash is computed only for the corners that go to the table.
                        int rs = RecentSlot(x, y, z);
                        Slot* cached = recent + rs;
                        int known = cached->IndexPlusOne;
                        if (((cached->X ^ x) | (cached->Y ^ y) | (cached->Z ^ z)) == 0 && known != 0)
                        {
                            if (known > 0) output[3 * r + k] = known - 1;
                            else aliases[aliasCount++] = ((long)(3 * r + k) << 32) | (uint)(-known - 1);
                            continue;
                        }
                        ulong h = Hash(x, y, z);
                        if (Sse.IsSupported) Sse.Prefetch0(table + ((int)h & mask));
                        *cached = new Slot { X = x, Y = y, Z = z, IndexPlusOne = -(misses + 1) };
                        pending[misses++] = new Pending { Output = 3 * r + k, X = x, Y = y, Z = z, Hash = h, Recent = rs };
                    }
                }
                // Pass 2: probe and insert the corners the cache did not know, then settle the cache and the aliases.
                for (int i = 0; i < misses; i++)
                {
                    ref Pending m = ref pending[i];
                    int index = Find(m.X, m.Y, m.Z, m.Hash);
                    output[m.Output] = index;
                    resolved[i] = index;
                    if (recent[m.Recent].IndexPlusOne == -(i + 1)) recent[m.Recent].IndexPlusOne = index + 1;
                }
                for (int i = 0; i < aliasCount; i++) output[(int)(aliases[i] >> 32)] = resolved[(int)aliases[i]];
            }
        }
    }

    private struct Pending
    {
        public uint X, Y, Z;
        public int Recent, Output;
        public ulong Hash; // the table slot is its low bits, the filter bit its upper half
    }

    /// <summary>Big-endian hosts: the same welding, one corner at a time with byte-order conversion.</summary>
    private void AddRecordsPortable(ReadOnlySpan<byte> records, int count, Span<int> indices)
    {
        for (int r = 0; r < count; r++)
            for (int k = 0; k < 3; k++)
            {
                var c = records.Slice(r * BinaryStlReader.RecordBytes + 12 + 12 * k, 12);
                uint x = BinaryPrimitives.ReadUInt32LittleEndian(c), y = BinaryPrimitives.ReadUInt32LittleEndian(c[4..]),
                    z = BinaryPrimitives.ReadUInt32LittleEndian(c[8..]);
                if (((x & 0x7F800000) == 0x7F800000) | ((y & 0x7F800000) == 0x7F800000) | ((z & 0x7F800000) == 0x7F800000))
                    throw Errors.NonFinite();
                x = x == 0x80000000 ? 0 : x;
                y = y == 0x80000000 ? 0 : y;
                z = z == 0x80000000 ? 0 : z;
                indices[3 * r + k] = Find(x, y, z, Hash(x, y, z));
            }
    }

    // CAD coordinates such as 10.0f have long runs of zero low mantissa bits, so the hash is a 64-bit multiplicative
    // mix whose every output bit depends on every input bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hash(uint x, uint y, uint z)
    {
        ulong h = ((((ulong)x << 32) | y) * 0x9E3779B97F4A7C15UL) ^ (z * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int RecentSlot(uint x, uint y, uint z) =>
        (int)(((((ulong)x << 32) | y) * 0x9E3779B97F4A7C15UL + z * 0xC2B2AE3D27D4EB4FUL) >> (64 - RecentBits));

    /// <param name="h">The vertex's <see cref="Hash"/>, computed once by the caller.</param>
    private int Find(uint x, uint y, uint z, ulong h)
    {
        if (_count * 2 >= _mask + 1) Grow();
        int slot = (int)h & _mask;
        var table = _table;
        while (true)
        {
            ref Slot s = ref table[slot];
            if (s.IndexPlusOne == 0) break;
            if (s.X == x && s.Y == y && s.Z == z) return s.IndexPlusOne - 1;
            slot = (slot + 1) & _mask;
        }
        int index = _count++;
        if (_filter is { } filter) SetFilterBit(filter, h);
        if (index * 3 + 3 > _xyz.Length) GrowXyz(_xyz.Length * 2);
        _xyz[index * 3] = x; _xyz[index * 3 + 1] = y; _xyz[index * 3 + 2] = z;
        table[slot] = new Slot { X = x, Y = y, Z = z, IndexPlusOne = index + 1 };
        return index;
    }

    // The filter's bit comes from the hash's upper half, the table slot from its lower bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetFilterBit(ulong[] filter, ulong h)
    {
        int bit = FilterBit(h);
        filter[bit >> 6] |= 1UL << bit;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool MayHave(ulong[] filter, ulong h)
    {
        int bit = FilterBit(h);
        return (filter[bit >> 6] & (1UL << bit)) != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int FilterBit(ulong h) => (int)(h >> 32) & _filterMask;

    private void Grow()
    {
        int capacity = (_mask + 1) * 2;
        var table = LargeArrays.Rent<Slot>(capacity, zeroed: true, pinned: true);
        int mask = capacity - 1;
        for (int v = 0; v < _count; v++)
        {
            uint x = _xyz[3 * v], y = _xyz[3 * v + 1], z = _xyz[3 * v + 2];
            int slot = (int)Hash(x, y, z) & mask;
            while (table[slot].IndexPlusOne != 0) slot = (slot + 1) & mask;
            table[slot] = new Slot { X = x, Y = y, Z = z, IndexPlusOne = v + 1 };
        }
        LargeArrays.Return(_table);
        _table = table;
        _mask = mask;
    }

    private void GrowXyz(int length)
    {
        var bigger = LargeArrays.Rent<uint>(length);
        _xyz.CopyTo(bigger, 0); // called mid-insert, when _count already counts the new vertex
        LargeArrays.Return(_xyz);
        _xyz = bigger;
    }

    /// <summary>Hands the table and the vertex list back to the pool; the welder is unusable afterwards.</summary>
    public void Release()
    {
        LargeArrays.Return(_table);
        LargeArrays.Return(_recent);
        LargeArrays.Return(_xyz);
        LargeArrays.Return(_filter);
        _table = _recent = [];
        _xyz = [];
        _filter = null;
        _sealed = true;
    }

    /// <summary>
    /// Folds <paramref name="later"/> (which welded the records after this welder's) into this one: its vertices
    /// that this welder already knows take their number here, the others are appended in <paramref name="later"/>'s
    /// first-seen order, and indices [<paramref name="laterStart"/>, <paramref name="laterEnd"/>) (which refer to <paramref name="later"/>) are rewritten
    /// to the result, exactly the numbering a single welder would have produced. Only lookups are needed (the
    /// vertices of one welder are distinct), so they are batched with prefetching like <see cref="AddRecords"/> and,
    /// with <paramref name="parallel"/>, split across two threads along with the rewrite. The table is not updated:
    /// nothing may be added to this welder afterwards.
    /// </summary>
    public void Absorb(FloatWelder later, int[] indices, int laterStart, int laterEnd, bool parallel)
    {
        int n = later._count;
        var map = LargeArrays.Rent<int>(Math.Max(1, n));
        if (parallel && n >= 2 * Batch) Parallel.Invoke(() => LookUp(later._xyz, map, 0, n / 2), () => LookUp(later._xyz, map, n / 2, n));
        else LookUp(later._xyz, map, 0, n);

        // Number the vertices this welder did not know, in the later welder's order.
        int added = 0;
        for (int v = 0; v < n; v++) if (map[v] < 0) added++;
        if ((_count + added) * 3 > _xyz.Length) GrowXyz((_count + added) * 3);
        var from = later._xyz;
        for (int v = 0; v < n; v++)
        {
            if (map[v] >= 0) continue;
            int index = _count++;
            _xyz[3 * index] = from[3 * v]; _xyz[3 * index + 1] = from[3 * v + 1]; _xyz[3 * index + 2] = from[3 * v + 2];
            map[v] = index;
        }
        _sealed = true;

        int length = laterEnd - laterStart, half = laterStart + length / 6 * 3;
        if (parallel && length >= 300_000) Parallel.Invoke(() => Rewrite(indices, laterStart, half, map), () => Rewrite(indices, half, laterEnd, map));
        else Rewrite(indices, laterStart, laterEnd, map);
        LargeArrays.Return(map);
    }

    private static void Rewrite(int[] indices, int from, int to, int[] map)
    {
        for (int i = from; i < to; i++) indices[i] = map[indices[i]];
    }

    // map[v] = this welder's index of the later welder's vertex v, or -1; batches of slots are prefetched first.
    private void LookUp(uint[] xyz, int[] map, int from, int to)
    {
        Span<int> slots = stackalloc int[Batch];
        Span<int> probes = stackalloc int[Batch]; // batch positions the filter did not rule out
        int mask = _mask;
        var filter = _filter;
        fixed (Slot* table = _table)
        {
            for (int first = from; first < to; first += Batch)
            {
                int m = Math.Min(Batch, to - first), candidates = 0;
                for (int i = 0; i < m; i++)
                {
                    int v = 3 * (first + i);
                    ulong h = Hash(xyz[v], xyz[v + 1], xyz[v + 2]);
                    if (filter is not null && !MayHave(filter, h)) { map[first + i] = -1; continue; }
                    int slot = (int)h & mask;
                    if (Sse.IsSupported) Sse.Prefetch0(table + slot);
                    slots[candidates] = slot;
                    probes[candidates++] = i;
                }
                for (int c = 0; c < candidates; c++)
                {
                    int i = probes[c], v = 3 * (first + i), slot = slots[c], found = -1;
                    uint x = xyz[v], y = xyz[v + 1], z = xyz[v + 2];
                    while (table[slot].IndexPlusOne != 0)
                    {
                        if (table[slot].X == x && table[slot].Y == y && table[slot].Z == z) { found = table[slot].IndexPlusOne - 1; break; }
                        slot = (slot + 1) & mask;
                    }
                    map[first + i] = found;
                }
            }
        }
    }

    /// <summary>
    /// The welded vertices as scaled doubles, and their bounding box measured on the way; with
    /// <paramref name="parallel"/>, two threads convert a half each.
    /// </summary>
    public double[] ToDoubles(double scale, bool parallel, out BoundingBox bounds)
    {
        int length = _count * 3;
        var result = LargeArrays.Rent<double>(length);
        var xyz = _xyz;
        BoxOf.Accumulator first = BoxOf.Accumulator.Empty, second = BoxOf.Accumulator.Empty;
        if (parallel && Environment.ProcessorCount > 1 && length >= 300_000)
        {
            int half = length / 6 * 3;
            Parallel.Invoke(() => Convert(xyz, result, 0, half, scale, ref first), () => Convert(xyz, result, half, length, scale, ref second));
            first.Merge(second);
        }
        else Convert(xyz, result, 0, length, scale, ref first);
        bounds = length == 0 ? new BoundingBox(default, default) : first.ToBox();
        return result;
    }

    private static void Convert(uint[] xyz, double[] result, int from, int to, double scale, ref BoxOf.Accumulator box) =>
        box.ConvertAndAdd(MemoryMarshal.Cast<uint, float>(xyz.AsSpan(from, to - from)), result.AsSpan(from, to - from), scale);
}
