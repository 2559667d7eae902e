using System.Buffers;

namespace PrintFlow.Geometry.IO;

/// <summary>
/// Streams whitespace-separated tokens or lines out of a UTF-8/ASCII stream through one pooled buffer, so text
/// formats are parsed without decoding to strings and with memory bounded by the longest allowed token or line.
/// </summary>
internal sealed class Utf8TokenReader : IDisposable
{
    private readonly Stream _stream;
    private readonly int _maxItemBytes;
    private readonly string _errorPrefix;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8TokenReader(Stream stream, int maxItemBytes, string errorPrefix)
    {
        _stream = stream;
        _maxItemBytes = maxItemBytes;
        _errorPrefix = errorPrefix;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(64 * 1024, maxItemBytes * 2));
    }

    public long LineNumber { get; private set; } = 1;

    /// <summary>Next whitespace-separated token; false at end of input.</summary>
    public bool TryReadToken(out ReadOnlySpan<byte> token)
    {
        while (true)
        {
            // Skip whitespace, counting lines for error messages.
            while (_start < _end && IsSpace(_buffer[_start]))
            {
                if (_buffer[_start] == (byte)'\n') LineNumber++;
                _start++;
            }
            if (_start < _end) break;
            if (!Fill()) { token = default; return false; }
        }
        int i = _start;
        while (true)
        {
            while (i < _end && !IsSpace(_buffer[i])) i++;
            if (i < _end || _eof) break;
            int scanned = i - _start;
            if (scanned > _maxItemBytes) throw TooLong("word");
            if (!Fill()) { i = _end; break; }
            i = _start + scanned;
        }
        if (i - _start > _maxItemBytes) throw TooLong("word");
        token = _buffer.AsSpan(_start, i - _start);
        _start = i;
        return true;
    }

    /// <summary>Next line without its terminator ('\n', '\r\n' or '\r'); false at end of input.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_start >= _end && !Fill()) { line = default; return false; }
        int i = _start;
        while (true)
        {
            int found = _buffer.AsSpan(i, _end - i).IndexOfAny((byte)'\n', (byte)'\r');
            if (found >= 0) { i += found; break; }
            i = _end;
            if (_eof) break;
            int scanned = i - _start;
            if (scanned > _maxItemBytes) throw TooLong("line");
            if (!Fill()) { i = _end; break; }
            i = _start + scanned;
        }
        if (i - _start > _maxItemBytes) throw TooLong("line");
        line = _buffer.AsSpan(_start, i - _start);
        LineNumber++;
        if (i < _end)
        {
            // Consume the terminator; a '\r' may be followed by a '\n' that is not yet in the buffer.
            bool cr = _buffer[i] == (byte)'\r';
            i++;
            _start = i;
            if (cr)
            {
                if (_start >= _end && !_eof)
                {
                    // Keep the returned line valid: only refill when it is safe, i.e. peek lazily on the next call.
                    _pendingCr = true;
                }
                else if (_start < _end && _buffer[_start] == (byte)'\n') _start++;
            }
        }
        else _start = i;
        return true;
    }

    private bool _pendingCr;

    private bool Fill()
    {
        if (_eof) return false;
        // Compact the unread tail to the front, then read more behind it.
        int remaining = _end - _start;
        if (remaining > 0 && _start > 0) Buffer.BlockCopy(_buffer, _start, _buffer, 0, remaining);
        _start = 0;
        _end = remaining;
        if (_end == _buffer.Length)
        {
            // Only reachable when an item exceeds half the buffer; the callers' length checks stop it first.
            throw TooLong("line");
        }
        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) { _eof = true; return remaining > 0; }
        _end += read;
        if (_pendingCr)
        {
            _pendingCr = false;
            if (_buffer[_start] == (byte)'\n') _start++;
        }
        return true;
    }

    private ModelFormatException TooLong(string what) =>
        new($"{_errorPrefix}.line-too-long", $"A {what} near line {LineNumber:N0} is longer than {_maxItemBytes:N0} bytes; the file is probably not a text model.");

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)'\v';

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }
}
