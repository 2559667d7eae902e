using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace PrintFlow.Geometry.Stl;

/// <summary>
/// Binary STL: 80-byte header, uint32 count, then 50-byte records (normal, three corners as float32, 2 spare bytes).
/// The file is read in pooled chunks of whole records and the corners are welded on their exact float bits while
/// they are still in the buffer, so a large file is never held in memory twice.
/// </summary>
internal static class BinaryStlReader
{
    public const int HeaderBytes = 84;
    public const int RecordBytes = 50;
    private const int RecordsPerChunk = 20_000; // 1 MB buffer: large enough to amortise reads, small enough for L2

    public static long ExpectedLength(uint count) => HeaderBytes + (long)RecordBytes * count;

    public static Mesh Read(Stream stream, long length, ReadOptions options, double scale, List<ModelWarning> warnings)
    {
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (length < HeaderBytes)
            throw new ModelFormatException("stl.truncated", $"The file is {length} bytes, shorter than the 84-byte binary STL header.");
        stream.ReadExactly(header);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(header[80..]);
        long expected = ExpectedLength(count);
        if (length < expected)
            throw new ModelFormatException("stl.truncated",
                $"The header announces {count:N0} triangles ({expected:N0} bytes) but the file is only {length:N0} bytes long.");
        if (length > expected)
            throw new ModelFormatException("stl.triangle-count-mismatch",
                $"The header announces {count:N0} triangles ({expected:N0} bytes) but the file is {length:N0} bytes long.");
        if (count == 0) throw Errors.Empty();
        if (count > options.MaxTriangles) throw Errors.TooManyTriangles(options.MaxTriangles);

        int triangles = checked((int)count);
        var welder = new FloatWelder(triangles);
        var indices = new int[checked(triangles * 3)];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * RecordBytes);
        try
        {
            int done = 0;
            while (done < triangles)
            {
                int batch = Math.Min(RecordsPerChunk, triangles - done);
                var chunk = buffer.AsSpan(0, batch * RecordBytes);
                stream.ReadExactly(chunk);
                welder.AddRecords(chunk, batch, indices.AsSpan(done * 3, batch * 3));
                done += batch;
            }
        }
        catch (EndOfStreamException)
        {
            throw new ModelFormatException("stl.truncated", "The file ended before all announced triangles were read.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new Mesh(welder.ToDoubles(scale), welder.Count, indices, triangles, ModelFormat.StlBinary, warnings);
    }
}

/// <summary>
/// Open-addressing weld table over float32 triples (exact bits, -0 folded into +0). Each slot holds the key itself
/// next to the vertex index, so a lookup costs one cache miss, and records are processed in batches whose slots are
/// prefetched first: the probes of a batch then overlap in memory instead of waiting for each other.
/// </summary>
internal sealed unsafe class FloatWelder
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public uint X, Y, Z;
        public int IndexPlusOne; // 0 = empty
    }

    private const int Batch = 64; // records per prefetch batch: 192 probes in flight, well within L1 for the hashes

    private uint[] _xyz;   // float bits of each welded vertex, in first-seen order
    private Slot[] _table; // pinned so slots can be prefetched by address
    private int _mask;
    private int _count;

    public FloatWelder(int triangles)
    {
        // A closed mesh has about half as many vertices as triangles: a table of ~triangles slots is half full.
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(triangles, 64, 1 << 29));
        _table = GC.AllocateArray<Slot>(capacity, pinned: true);
        _mask = capacity - 1;
        _xyz = new uint[(Math.Min(triangles, 1 << 26) / 2 + 64) * 3];
    }

    public int Count => _count;

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
                        int slot = Hash(x, y, z) & _mask;
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

    // CAD coordinates such as 10.0f have long runs of zero low mantissa bits, so the slot is taken from the high
    // bits of a 64-bit multiplicative mix, which depend on every input bit.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(uint x, uint y, uint z)
    {
        ulong h = ((((ulong)x << 32) | y) * 0x9E3779B97F4A7C15UL) ^ (z * 0xC2B2AE3D27D4EB4FUL);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return (int)(h >> 34); // 30 bits; callers mask to the table size
    }

    private int Find(uint x, uint y, uint z, int slot)
    {
        if (_count * 2 >= _table.Length)
        {
            Grow(); // the prefetched slot number is stale after growing
            slot = Hash(x, y, z) & _mask;
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
            int slot = Hash(x, y, z) & mask;
            while (table[slot].IndexPlusOne != 0) slot = (slot + 1) & mask;
            table[slot] = new Slot { X = x, Y = y, Z = z, IndexPlusOne = v + 1 };
        }
        _table = table;
        _mask = mask;
    }

    public double[] ToDoubles(double scale)
    {
        var result = new double[_count * 3];
        var floats = MemoryMarshal.Cast<uint, float>(_xyz.AsSpan(0, _count * 3));
        for (int i = 0; i < floats.Length; i++) result[i] = floats[i] * scale;
        return result;
    }
}
