using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

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

    private uint[] _xyz;   // float bits of each welded vertex, in first-seen order
    private Slot[] _table; // pinned so slots can be prefetched by address
    private int _mask;
    private int _count;

    public FloatWelder(int triangles)
    {
        // A closed mesh has about half as many vertices as triangles: a table of ~triangles slots is half full.
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(triangles, 64, 1 << 28));
        _table = GC.AllocateArray<Slot>(capacity, pinned: true);
        _mask = capacity - 1;
        _xyz = new uint[(Math.Min(triangles, 1 << 26) / 2 + 64) * 3];
    }

    public int Count => _count;

    /// <summary>Welds the corners of <paramref name="count"/> records, writing their vertex indices.</summary>
    public void AddRecords(ReadOnlySpan<byte> records, int count, Span<int> indices)
    {
        Span<uint> keys = stackalloc uint[Batch * 9];
        Span<int> slots = stackalloc int[Batch * 3];
        for (int first = 0; first < count; first += Batch)
        {
            int n = Math.Min(Batch, count - first);
            // Pass 1: copy corner bits out of the 50-byte records (unaligned), check, hash and prefetch.
            fixed (Slot* table = _table)
            {
                for (int r = 0; r < n; r++)
                {
                    // Corners start 12 bytes into a record (after the normal, which is ignored: it is recomputed).
                    var corners = MemoryMarshal.Cast<byte, uint>(records.Slice((first + r) * BinaryStlReader.RecordBytes + 12, 36));
                    for (int k = 0; k < 9; k += 3)
                    {
                        uint x = corners[k], y = corners[k + 1], z = corners[k + 2];
                        if (!BitConverter.IsLittleEndian)
                        {
                            x = BinaryPrimitives.ReverseEndianness(x);
                            y = BinaryPrimitives.ReverseEndianness(y);
                            z = BinaryPrimitives.ReverseEndianness(z);
                        }
                        // Exponent all ones means NaN or infinity.
                        if ((x & 0x7F800000) == 0x7F800000 || (y & 0x7F800000) == 0x7F800000 || (z & 0x7F800000) == 0x7F800000)
                            throw Errors.NonFinite();
                        if (x == 0x80000000) x = 0;
                        if (y == 0x80000000) y = 0;
                        if (z == 0x80000000) z = 0;
                        int i = r * 3 + k / 3;
                        keys[3 * i] = x; keys[3 * i + 1] = y; keys[3 * i + 2] = z;
                        int slot = (int)Hash(x, y, z) & _mask;
                        slots[i] = slot;
                        if (Sse.IsSupported) Sse.Prefetch0(table + slot);
                    }
                }
            }
            // Pass 2: probe and insert.
            for (int i = 0; i < n * 3; i++)
                indices[first * 3 + i] = Find(keys[3 * i], keys[3 * i + 1], keys[3 * i + 2], slots[i]);
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

    private int Find(uint x, uint y, uint z, int slot)
    {
        if (_count * 2 >= _table.Length)
        {
            Grow(); // the prefetched slot number is stale after growing
            slot = (int)Hash(x, y, z) & _mask;
        }
        var table = _table;
        while (true)
        {
            ref Slot s = ref table[slot];
            if (s.IndexPlusOne == 0) break;
            if (s.X == x && s.Y == y && s.Z == z) return s.IndexPlusOne - 1;
            slot = (slot + 1) & _mask;
        }
        int index = _count++;
        if (index * 3 + 3 > _xyz.Length) Array.Resize(ref _xyz, _xyz.Length * 2);
        _xyz[index * 3] = x; _xyz[index * 3 + 1] = y; _xyz[index * 3 + 2] = z;
        table[slot] = new Slot { X = x, Y = y, Z = z, IndexPlusOne = index + 1 };
        return index;
    }

    private void Grow()
    {
        int capacity = _table.Length * 2;
        var table = GC.AllocateArray<Slot>(capacity, pinned: true);
        int mask = capacity - 1;
        for (int v = 0; v < _count; v++)
        {
            uint x = _xyz[3 * v], y = _xyz[3 * v + 1], z = _xyz[3 * v + 2];
            int slot = (int)Hash(x, y, z) & mask;
            while (table[slot].IndexPlusOne != 0) slot = (slot + 1) & mask;
            table[slot] = new Slot { X = x, Y = y, Z = z, IndexPlusOne = v + 1 };
        }
        _table = table;
        _mask = mask;
    }

    /// <summary>
    /// Adds <paramref name="later"/>'s vertices to this welder in <paramref name="later"/>'s first-seen order and
    /// rewrites <paramref name="laterIndices"/> (which refer to <paramref name="later"/>) to this welder's numbering.
    /// </summary>
    public void Absorb(FloatWelder later, Span<int> laterIndices)
    {
        var map = new int[later._count];
        var xyz = later._xyz;
        for (int v = 0; v < map.Length; v++)
        {
            uint x = xyz[3 * v], y = xyz[3 * v + 1], z = xyz[3 * v + 2];
            map[v] = Find(x, y, z, (int)Hash(x, y, z) & _mask);
        }
        for (int i = 0; i < laterIndices.Length; i++) laterIndices[i] = map[laterIndices[i]];
    }

    public double[] ToDoubles(double scale)
    {
        var result = new double[_count * 3];
        var floats = MemoryMarshal.Cast<uint, float>(_xyz.AsSpan(0, _count * 3));
        for (int i = 0; i < floats.Length; i++) result[i] = floats[i] * scale;
        return result;
    }
}
