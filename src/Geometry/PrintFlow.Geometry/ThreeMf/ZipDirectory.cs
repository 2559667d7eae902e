using System.Buffers.Binary;
using System.IO.Compression;

namespace PrintFlow.Geometry.ThreeMf;

/// <summary>
/// Checks of the ZIP directory made before and right after it is opened. ZipArchive reads every entry of the central
/// directory into objects up front, several times larger than their bytes, so an entry count no 3MF has is refused
/// from the end record first; and a name stored twice is refused, since tools disagree on which copy they read.
/// </summary>
internal static class ZipDirectory
{
    /// <summary>Real 3MF packages hold a model part or a few, thumbnails and textures: dozens of entries, not thousands.</summary>
    public const int MaxEntries = 10_000;

    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const int EndBytes = 22;
    private const int MaxCommentBytes = ushort.MaxValue;

    public static void Check(Stream stream)
    {
        if (!stream.CanSeek) return;
        long start = stream.Position, length = stream.Length - start;
        if (length < EndBytes) return; // ZipArchive reports it as corrupt
        int tail = (int)Math.Min(length, EndBytes + MaxCommentBytes + 20);
        var bytes = new byte[tail];
        stream.Position = start + length - tail;
        stream.ReadExactly(bytes);
        stream.Position = start;

        for (int at = tail - EndBytes; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)) != EndSignature) continue;
            ulong entries = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 10));
            // 0xFFFF means the real count is in the ZIP64 end record, which the locator just before this one points to.
            if (entries == ushort.MaxValue && at >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at - 20)) == Zip64LocatorSignature)
            {
                long offset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at - 12)), long.MaxValue);
                var record = new byte[40];
                if (offset < 0 || offset > length - record.Length) return; // ZipArchive reports it as corrupt
                stream.Position = start + offset;
                stream.ReadExactly(record);
                stream.Position = start;
                if (BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64EndSignature)
                    entries = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
            }
            if (entries > MaxEntries) throw TooMany(entries);
            return;
        }
    }

    public static void CheckNames(ZipArchive zip)
    {
        // The end record may understate the count; ZipArchive has read them all by now, so this is the last word.
        if (zip.Entries.Count > MaxEntries) throw TooMany((ulong)zip.Entries.Count);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in zip.Entries)
            if (!names.Add(entry.FullName))
                throw new ModelFormatException("3mf.duplicate-part",
                    $"The 3MF package contains '{Shorten(entry.FullName)}' twice; tools disagree on which copy they read, so it is refused.");
    }

    private static ModelFormatException TooMany(ulong entries) =>
        new(Errors.TooComplexCode, $"The 3MF package lists {entries:N0} files, more than the {MaxEntries:N0} any model needs.");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
