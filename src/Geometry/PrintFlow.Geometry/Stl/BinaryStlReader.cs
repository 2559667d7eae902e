using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

/// <summary>Open-addressing weld table over float32 triples (exact bits, -0 folded into +0).</summary>
internal sealed class FloatWelder
{
    private uint[] _xyz;   // float bits, 3 per vertex
    private int[] _table;  // vertex index + 1; 0 = empty
    private int _mask;
    private int _count;

    public FloatWelder(int triangles)
    {
        // A closed mesh has about half as many vertices as triangles; size for a load factor of 1/4 at that count.
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(triangles * 2L, 64, 1 << 30));
        _table = new int[capacity];
        _mask = capacity - 1;
        _xyz = new uint[(Math.Min(triangles, 1 << 26) / 2 + 64) * 3];
    }

    public int Count => _count;

    public void AddRecords(ReadOnlySpan<byte> records, int count, Span<int> indices)
    {
        for (int r = 0; r < count; r++)
        {
            // Corners start 12 bytes into a record (after the normal, which is ignored: it is recomputed).
            var corners = MemoryMarshal.Cast<byte, uint>(records.Slice(r * BinaryStlReader.RecordBytes + 12, 36));
            indices[r * 3] = Add(corners[0], corners[1], corners[2]);
            indices[r * 3 + 1] = Add(corners[3], corners[4], corners[5]);
            indices[r * 3 + 2] = Add(corners[6], corners[7], corners[8]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Add(uint x, uint y, uint z)
    {
        if (!BitConverter.IsLittleEndian) { x = BinaryPrimitives.ReverseEndianness(x); y = BinaryPrimitives.ReverseEndianness(y); z = BinaryPrimitives.ReverseEndianness(z); }
        // Exponent all ones means NaN or infinity.
        if ((x & 0x7F800000) == 0x7F800000 || (y & 0x7F800000) == 0x7F800000 || (z & 0x7F800000) == 0x7F800000)
            throw Errors.NonFinite();
        if (x == 0x80000000) x = 0;
        if (y == 0x80000000) y = 0;
        if (z == 0x80000000) z = 0;
        uint h = (x * 0x9E3779B1u) ^ (y * 0x85EBCA77u) ^ (z * 0xC2B2AE3Du);
        int slot = (int)(h ^ (h >> 15)) & _mask;
        var table = _table;
        var xyz = _xyz;
        while (true)
        {
            int entry = table[slot];
            if (entry == 0) break;
            int p = (entry - 1) * 3;
            if (xyz[p] == x && xyz[p + 1] == y && xyz[p + 2] == z) return entry - 1;
            slot = (slot + 1) & _mask;
        }
        int index = _count++;
        if (index * 3 + 3 > _xyz.Length) Array.Resize(ref _xyz, _xyz.Length * 2);
        _xyz[index * 3] = x; _xyz[index * 3 + 1] = y; _xyz[index * 3 + 2] = z;
        table[slot] = index + 1;
        if (_count * 2 > table.Length) Grow();
        return index;
    }

    private void Grow()
    {
        int capacity = _table.Length * 2;
        var table = new int[capacity];
        int mask = capacity - 1;
        for (int v = 0; v < _count; v++)
        {
            uint x = _xyz[3 * v], y = _xyz[3 * v + 1], z = _xyz[3 * v + 2];
            uint h = (x * 0x9E3779B1u) ^ (y * 0x85EBCA77u) ^ (z * 0xC2B2AE3Du);
            int slot = (int)(h ^ (h >> 15)) & mask;
            while (table[slot] != 0) slot = (slot + 1) & mask;
            table[slot] = v + 1;
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
