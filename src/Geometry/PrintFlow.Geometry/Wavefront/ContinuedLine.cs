using System.Buffers;
using PrintFlow.Geometry.IO;

namespace PrintFlow.Geometry.Wavefront;

/// <summary>
/// OBJ's line continuation: a backslash as the last character of a line (trailing blanks allowed) joins the next line
/// to it, e.g. a long face split over several lines. Only continued lines are copied, into one pooled buffer whose
/// size is bounded like a single line.
/// </summary>
internal sealed class ContinuedLine(int maxBytes) : IDisposable
{
    private byte[] _buffer = [];

    public static bool Continues(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd(" \t"u8);
        return !line.IsEmpty && line[^1] == (byte)'\\';
    }

    /// <summary>Joins <paramref name="first"/> (which continues) with the following lines, each backslash becoming a space.</summary>
    public ReadOnlySpan<byte> Join(Utf8TokenReader reader, ReadOnlySpan<byte> first)
    {
        int length = 0;
        var line = first;
        while (true)
        {
            var trimmed = line.TrimEnd(" \t"u8);
            bool more = !trimmed.IsEmpty && trimmed[^1] == (byte)'\\';
            var part = more ? trimmed[..^1] : line;
            if (length + part.Length + 1 > maxBytes)
                throw new ModelFormatException("obj.line-too-long",
                    $"A continued line near line {reader.LineNumber:N0} is longer than {maxBytes:N0} bytes; the file is probably not a text model.");
            Ensure(length + part.Length + 1);
            part.CopyTo(_buffer.AsSpan(length));
            length += part.Length;
            _buffer[length++] = (byte)' ';
            // The returned span of the reader is only valid until its next call: copy before reading on.
            if (!more || !reader.TryReadLine(out line)) break;
        }
        return _buffer.AsSpan(0, length);
    }

    private void Ensure(int size)
    {
        if (size <= _buffer.Length) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(size, Math.Min(maxBytes, Math.Max(256, _buffer.Length * 2))));
        _buffer.AsSpan().CopyTo(bigger);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
