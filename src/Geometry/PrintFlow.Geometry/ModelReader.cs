using PrintFlow.Geometry.IO;
using PrintFlow.Geometry.Wavefront;
using PrintFlow.Geometry.Stl;
using PrintFlow.Geometry.ThreeMf;

namespace PrintFlow.Geometry;

public static class ModelReader
{
    /// <summary>Reads a model file; the format is detected from its content, the extension only breaks ties.</summary>
    public static Mesh Read(string path, ReadOptions? options = null) => Read(path, options, Deadline.None);

    internal static Mesh Read(string path, ReadOptions? options, Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new ReadOptions();
        FileStream file;
        try
        {
            // No FileStream buffer: the readers read large chunks into their own pooled buffers.
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw Errors.Io(e);
        }
        using (file) return ReadSeekable(file, file.Length, Path.GetFileName(path), options, deadline);
    }

    /// <summary>Reads a model from a stream (from its current position); fileName is only a hint.</summary>
    public static Mesh Read(Stream stream, string fileName, ReadOptions? options = null) => Read(stream, fileName, options, Deadline.None);

    internal static Mesh Read(Stream stream, string fileName, ReadOptions? options, Deadline deadline)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new ReadOptions();
        fileName ??= "";
        if (stream.CanSeek) return ReadSeekable(stream, stream.Length - stream.Position, fileName, options, deadline);

        // Formats need the length (binary STL) or random access (3MF): spool a forward-only stream to a temporary
        // file, capped at MaxFileBytes, instead of buffering it in memory.
        string temp = Path.GetTempFileName();
        using var spool = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16,
            FileOptions.DeleteOnClose);
        try
        {
            var chunk = new byte[1 << 16];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (spool.Length + read > options.MaxFileBytes) throw Errors.TooLarge(options.MaxFileBytes);
                spool.Write(chunk, 0, read);
                deadline.Check();
            }
            spool.Position = 0;
        }
        catch (IOException e) { throw Errors.Io(e); }
        return ReadSeekable(spool, spool.Length, fileName, options, deadline);
    }

    private static Mesh ReadSeekable(Stream stream, long length, string fileName, ReadOptions options, Deadline deadline)
    {
        if (length > options.MaxFileBytes) throw Errors.TooLarge(options.MaxFileBytes);
        try
        {
            long start = stream.Position;
            Span<byte> head = stackalloc byte[FormatDetector.HeadBytes];
            int headLength = stream.ReadAtLeast(head, (int)Math.Min(head.Length, length), throwOnEndOfStream: false);
            head = head[..headLength];
            var format = FormatDetector.Detect(head, length, fileName);
            stream.Position = start;

            var warnings = new List<ModelWarning>();
            double scale = options.Units is { } unit ? Units.ToMillimetres(unit) : 1.0;
            var mesh = format switch
            {
                ModelFormat.StlBinary => BinaryStlReader.Read(stream, length, options, scale, warnings, deadline),
                ModelFormat.StlAscii => AsciiStlReader.Read(stream, length, options, scale, warnings, deadline),
                ModelFormat.Obj => ObjReader.Read(stream, length, options, scale, warnings, deadline),
                // The file is opened unbuffered for the STL chunk reads; ZIP parsing makes many small reads instead.
                _ => ThreeMfReader.Read(new BufferedStream(stream, 1 << 16), options, warnings, deadline),
            };
            // 3MF declares its unit, so only the unit-less formats get a guess when the caller did not say.
            Units.Check(mesh, warnAboutUnits: options.Units is null && format != ModelFormat.ThreeMf, warnings);
            return mesh;
        }
        catch (ModelFormatException) { throw; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            throw Errors.Io(e);
        }
        catch (OutOfMemoryException)
        {
            throw Errors.TooLarge(options.MaxFileBytes);
        }
    }
}
