using System.Buffers.Binary;
using PrintFlow.Geometry.Stl;

namespace PrintFlow.Geometry.IO;

/// <summary>
/// Decides the format from the first bytes and the length; the file extension only breaks ties, because customers
/// rename files and some exporters write binary STLs whose header starts with the word "solid".
/// </summary>
internal static class FormatDetector
{
    public const int HeadBytes = 1024;

    public static ModelFormat Detect(ReadOnlySpan<byte> head, long length, string fileName)
    {
        if (length == 0) throw Errors.Empty("The file is empty.");
        string ext = Path.GetExtension(fileName).ToLowerInvariant();

        if (head.StartsWith("PK\u0003\u0004"u8)) return ModelFormat.ThreeMf;
        if (ext == ".3mf") throw new ModelFormatException("3mf.not-a-zip", "The file is named .3mf but is not a ZIP package.");

        // A binary STL is recognised by its exact size; this wins even over a header that begins with "solid"
        // (in a real ASCII file bytes 80-83 are text, which read as a count gives an absurd expected size).
        if (length >= BinaryStlReader.HeaderBytes && head.Length >= BinaryStlReader.HeaderBytes &&
            BinaryStlReader.ExpectedLength(BinaryPrimitives.ReadUInt32LittleEndian(head[80..])) == length)
            return ModelFormat.StlBinary;

        bool text = IsText(head);
        if (text && StartsWithWord(head, "solid"u8)) return ModelFormat.StlAscii;
        if (text && (ext == ".obj" || LooksLikeObj(head))) return ModelFormat.Obj;
        if (ext == ".stl") return text ? ModelFormat.StlAscii : ModelFormat.StlBinary;
        if (!text && length >= BinaryStlReader.HeaderBytes && ext is "" or ".bin")
            return ModelFormat.StlBinary;
        throw Errors.NotAMesh("The file is not a 3D model this service reads (binary or ASCII STL, OBJ or 3MF).");
    }

    private static bool StartsWithWord(ReadOnlySpan<byte> head, ReadOnlySpan<byte> word)
    {
        int i = 0;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (head.Length - i >= 3 && head[i] == 0xEF && head[i + 1] == 0xBB && head[i + 2] == 0xBF) i += 3; // UTF-8 BOM
        return head[i..].StartsWith(word);
    }

    // Text if the head has no NUL and almost no control bytes.
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        int control = 0;
        foreach (byte b in head)
        {
            if (b == 0) return false;
            if (b < 32 && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or (byte)'\v')) control++;
        }
        return control * 100 <= head.Length;
    }

    private static bool LooksLikeObj(ReadOnlySpan<byte> head)
    {
        // The first statement that is not a comment or blank names an OBJ element.
        while (!head.IsEmpty)
        {
            int nl = head.IndexOf((byte)'\n');
            var line = (nl < 0 ? head : head[..nl]).Trim(" \t\r"u8);
            head = nl < 0 ? default : head[(nl + 1)..];
            if (line.IsEmpty || line[0] == (byte)'#') continue;
            int space = line.IndexOfAny((byte)' ', (byte)'\t');
            var keyword = space < 0 ? line : line[..space];
            return keyword.SequenceEqual("v"u8) || keyword.SequenceEqual("vn"u8) || keyword.SequenceEqual("vt"u8) ||
                   keyword.SequenceEqual("f"u8) || keyword.SequenceEqual("o"u8) || keyword.SequenceEqual("g"u8) ||
                   keyword.SequenceEqual("mtllib"u8) || keyword.SequenceEqual("usemtl"u8) || keyword.SequenceEqual("s"u8);
        }
        return false;
    }
}
