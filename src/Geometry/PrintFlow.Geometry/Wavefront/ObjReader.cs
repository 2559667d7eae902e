using PrintFlow.Geometry.Building;
using PrintFlow.Geometry.IO;

namespace PrintFlow.Geometry.Wavefront; // not "Obj": MSBuild excludes obj/ folders case-insensitively

/// <summary>
/// Wavefront OBJ: <c>v x y z</c> vertices and <c>f</c> faces whose corners are <c>v</c>, <c>v/vt</c>, <c>v//vn</c> or
/// <c>v/vt/vn</c>, 1-based or negative (relative to the vertices read so far). Polygons are fan-triangulated, which is
/// exact for the convex polygons exporters write. Everything else (normals, texture coordinates, groups, materials,
/// lines) does not affect the solid and is skipped. A line ending in a backslash continues on the next line.
/// </summary>
internal static class ObjReader
{
    private const int MaxLineBytes = 1 << 20;

    public static Mesh Read(Stream stream, long length, ReadOptions options, double scale, List<ModelWarning> warnings, Deadline deadline)
    {
        int expected = (int)Math.Clamp(length / 40, 16, 1 << 22);
        // Faces may reference vertices defined later in the file, so corners are kept as file indices and welded at
        // the end. Both lists are bounded by the file size (MaxFileBytes).
        var positions = new List<double>(expected);
        var corners = new List<int>(expected * 2);
        using var reader = new Utf8TokenReader(stream, MaxLineBytes, "obj");
        using var joined = new ContinuedLine(MaxLineBytes);
        long triangles = 0;
        int lines = 0;
        while (reader.TryReadLine(out var line))
        {
            if ((++lines & 0xFFF) == 0) deadline.Check();
            if (ContinuedLine.Continues(line)) line = joined.Join(reader, line);
            line = line.TrimStart(" \t"u8);
            int comment = line.IndexOf((byte)'#'); // comments may also follow a statement
            if (comment >= 0) line = line[..comment];
            if (line.Length < 2) continue;
            if (line[0] == (byte)'v' && line[1] is (byte)' ' or (byte)'\t')
            {
                var rest = line[2..];
                for (int i = 0; i < 3; i++)
                {
                    var word = NextWord(ref rest);
                    if (word.IsEmpty) throw Malformed(reader, "a vertex needs three coordinates");
                    if (!Utf8Numbers.TryParseDouble(word, out double value)) throw Malformed(reader, "a vertex coordinate is not a number");
                    if (!double.IsFinite(value)) throw Errors.NonFinite();
                    positions.Add(value);
                }
                // More vertices than any accepted mesh could use means the file is not a sensible model.
                if (positions.Count / 3 > 3 * options.MaxTriangles) throw Errors.TooManyTriangles(options.MaxTriangles);
            }
            else if (line[0] == (byte)'f' && line[1] is (byte)' ' or (byte)'\t')
            {
                int vertexCount = positions.Count / 3;
                int first = -1, previous = -1, n = 0;
                var rest = line[2..];
                for (var word = NextWord(ref rest); !word.IsEmpty; word = NextWord(ref rest))
                {
                    int slash = word.IndexOf((byte)'/');
                    var indexText = slash < 0 ? word : word[..slash];
                    if (!Utf8Numbers.TryParseLong(indexText, out long index)) throw Malformed(reader, "a face corner is not a vertex number");
                    // Negative indices count back from the last vertex read; 0 is never valid.
                    long resolved = index < 0 ? vertexCount + index : index - 1;
                    if (index == 0 || resolved < 0 || resolved > int.MaxValue)
                        throw new ModelFormatException("obj.index-out-of-range",
                            $"Line {reader.LineNumber - 1:N0}: face corner {index} refers to no vertex ({vertexCount:N0} vertices so far).");
                    int corner = (int)resolved;
                    if (n == 0) first = corner;
                    else if (n >= 2)
                    {
                        if (++triangles > options.MaxTriangles) throw Errors.TooManyTriangles(options.MaxTriangles);
                        // One line may fan out into hundreds of thousands of triangles.
                        if ((triangles & 0xFFFF) == 0) deadline.Check();
                        corners.Add(first); corners.Add(previous); corners.Add(corner);
                    }
                    previous = corner;
                    n++;
                }
                if (n < 3) throw Malformed(reader, "a face needs at least three corners");
            }
        }

        int vertices = positions.Count / 3;
        if (corners.Count == 0) throw Errors.Empty("The OBJ file contains no faces.");
        var builder = new MeshBuilder(vertices, corners.Count / 3, options.MaxTriangles, deadline);
        var weld = new int[vertices];
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(positions);
        for (int v = 0; v < vertices; v++) weld[v] = builder.AddVertex(span[3 * v], span[3 * v + 1], span[3 * v + 2]);
        var c = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(corners);
        for (int i = 0; i < c.Length; i += 3)
        {
            foreach (int k in c.Slice(i, 3))
                if (k >= vertices)
                    throw new ModelFormatException("obj.index-out-of-range",
                        $"A face refers to vertex {k + 1:N0} but the file has only {vertices:N0} vertices.");
            builder.AddTriangle(weld[c[i]], weld[c[i + 1]], weld[c[i + 2]]);
        }
        return builder.Build(ModelFormat.Obj, warnings, scale);
    }

    private static ReadOnlySpan<byte> NextWord(ref ReadOnlySpan<byte> rest)
    {
        rest = rest.TrimStart(" \t"u8);
        int end = rest.IndexOfAny((byte)' ', (byte)'\t');
        if (end < 0) end = rest.Length;
        var word = rest[..end];
        rest = rest[end..];
        return word;
    }

    private static ModelFormatException Malformed(Utf8TokenReader reader, string what) =>
        new("obj.malformed", $"The OBJ file is malformed at line {reader.LineNumber - 1:N0}: {what}.");
}
