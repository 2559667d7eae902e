using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using PrintFlow.Geometry.Memory;

namespace PrintFlow.Geometry.Stl;

/// <summary>
/// Binary STL: 80-byte header, uint32 count, then 50-byte records (normal, three corners as float32, 2 spare bytes).
/// The file is read in pooled chunks of whole records and the corners are welded on their exact float bits while
/// they are still in the buffer, so a large file is never held in memory twice. A large file on disk is split in two
/// halves welded at once by two workers, each reading its own range with positional reads; the second half is then
/// folded into the first, giving exactly the vertex numbering of a single pass, so results never depend on the
/// number of cores.
/// </summary>
internal static class BinaryStlReader
{
    public const int HeaderBytes = 84;
    public const int RecordBytes = 50;
    private const int RecordsPerChunk = 5_000; // 250 KB: the chunk and the recent-vertex cache stay in L2 together
    private const int SplitFrom = 50_000; // triangles; below this a second worker costs more than it saves

    public static long ExpectedLength(uint count) => HeaderBytes + (long)RecordBytes * count;

    public static Mesh Read(Stream stream, long length, ReadOptions options, double scale, List<ModelWarning> warnings, Deadline deadline)
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
        // Every element is written before use: no zeroing. Rented: the mesh hands it back when its analysis is done.
        var indices = LargeArrays.Rent<int>(checked(triangles * 3));
        FloatWelder welder;
        if (stream is FileStream file && triangles >= SplitFrom && options.MaxDegreeOfParallelism > 1 && Environment.ProcessorCount > 1)
        {
            long dataStart = file.Position;
            int half = triangles / 2;
            // Each worker creates and clears its own table (8 MB each at 1M triangles) as part of the parallel work.
            // The first absorbs the second afterwards: its vertex list is sized for the whole mesh.
            FloatWelder? first = null, second = null;
            try
            {
                Parallel.Invoke(
                    () => WeldRange(file, dataStart, 0, half, first = new FloatWelder(triangles, absorbs: true), indices, deadline),
                    () => WeldRange(file, dataStart, half, triangles, second = new FloatWelder(triangles - half), indices, deadline));
            }
            catch (AggregateException e) when (e.InnerException is ModelFormatException or OperationCanceledException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            }
            first!.Absorb(second!, indices, half * 3, triangles * 3, parallel: true);
            second!.Release();
            welder = first;
        }
        else
        {
            welder = new FloatWelder(triangles);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * RecordBytes);
            try
            {
                for (int done = 0; done < triangles;)
                {
                    int batch = Math.Min(RecordsPerChunk, triangles - done);
                    var chunk = buffer.AsSpan(0, batch * RecordBytes);
                    stream.ReadExactly(chunk);
                    welder.AddRecords(chunk, batch, indices.AsSpan(done * 3, batch * 3));
                    done += batch;
                    deadline.Check();
                }
            }
            catch (EndOfStreamException)
            {
                throw Truncated();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        var positions = welder.ToDoubles(scale, parallel: triangles >= SplitFrom && options.MaxDegreeOfParallelism > 1, out var bounds);
        welder.Release();
        return new Mesh(positions, welder.Count, indices, triangles, ModelFormat.StlBinary, warnings) { RentedArrays = true, Bounds = bounds };
    }

    private static ModelFormatException Truncated() =>
        new("stl.truncated", "The file ended before all announced triangles were read.");

    /// <summary>Welds records [from, to) read with positional reads, so two workers can share one file handle.</summary>
    private static void WeldRange(FileStream file, long dataStart, int from, int to, FloatWelder welder, int[] indices, Deadline deadline)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * RecordBytes);
        try
        {
            for (int done = from; done < to;)
            {
                int batch = Math.Min(RecordsPerChunk, to - done);
                var chunk = buffer.AsSpan(0, batch * RecordBytes);
                long offset = dataStart + (long)done * RecordBytes;
                for (int filled = 0; filled < chunk.Length;)
                {
                    int read = RandomAccess.Read(file.SafeFileHandle, chunk[filled..], offset + filled);
                    if (read == 0) throw Truncated(); // the file shrank while being read
                    filled += read;
                }
                welder.AddRecords(chunk, batch, indices.AsSpan(done * 3, batch * 3));
                done += batch;
                deadline.Check();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
