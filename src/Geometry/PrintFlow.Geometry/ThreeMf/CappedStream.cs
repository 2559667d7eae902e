namespace PrintFlow.Geometry.ThreeMf;

/// <summary>
/// Forward-only view of a decompressing stream that throws once more bytes come out than allowed. ZIP headers can
/// lie about sizes, so the cap is enforced on the bytes actually produced, not the declared length.
/// </summary>
internal sealed class CappedStream(Stream inner, long limit, Func<ModelFormatException> onExceeded) : Stream
{
    private long _read;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
        if (_read > limit) throw onExceeded();
        return n;
    }

    public long BytesRead => _read;
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
