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
/// they are still in the buffer, so a large file is never held in memory twice. Large files are welded by two
/// workers that share each chunk and split the vertices by a hash bit, each into its own table; the split depends
/// only on the data, so the vertex numbering is the same on every machine.
/// </summary>
internal static class BinaryStlReader
{
    public const int HeaderBytes = 84;
    public const int RecordBytes = 50;
    private const int RecordsPerChunk = 40_000; // 2 MB: few hand-offs between the workers, cheap to re-read from cache
    private const int PartitionedFrom = 50_000; // triangles; below this a second worker costs more than it saves

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
        int parts = triangles >= PartitionedFrom ? 2 : 1;
        var welders = new FloatWelder[parts];
        for (int k = 0; k < parts; k++) welders[k] = new FloatWelder(triangles / parts, k, parts);
        var indices = new int[checked(triangles * 3)];
        byte[] buffer = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * RecordBytes);
        try
        {
            int done = 0;
            while (done < triangles)
            {
                int batch = Math.Min(RecordsPerChunk, triangles - done);
                var chunk = buffer.AsMemory(0, batch * RecordBytes);
                stream.ReadExactly(chunk.Span);
                var target = indices.AsMemory(done * 3, batch * 3);
                if (parts == 1) welders[0].AddRecords(chunk.Span, batch, target.Span);
                else
                {
                    try
                    {
                        Parallel.Invoke(() => welders[0].AddRecords(chunk.Span, batch, target.Span),
                                        () => welders[1].AddRecords(chunk.Span, batch, target.Span));
                    }
                    catch (AggregateException e) when (e.InnerException is ModelFormatException inner)
                    {
                        throw inner;
                    }
                }
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
        return new Mesh(FloatWelder.Merge(welders, indices, scale, out int vertices), vertices, indices, triangles,
            ModelFormat.StlBinary, warnings);
    }
}
