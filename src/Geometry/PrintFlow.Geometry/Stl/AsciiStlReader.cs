using PrintFlow.Geometry.Building;
using PrintFlow.Geometry.IO;

namespace PrintFlow.Geometry.Stl;

/// <summary>
/// ASCII STL: <c>solid name / facet normal n n n / outer loop / vertex x y z (×3) / endloop / endfacet / endsolid</c>,
/// possibly several solids in one file. Parsed token by token from the stream; the normal is ignored because the
/// analyzer derives orientation from the vertex order, as every slicer does.
/// </summary>
internal static class AsciiStlReader
{
    private const int MaxTokenBytes = 4096;

    public static Mesh Read(Stream stream, long length, ReadOptions options, double scale, List<ModelWarning> warnings, Deadline deadline)
    {
        // Roughly 250 bytes per facet in typical exporters; only a sizing hint.
        int expected = (int)Math.Clamp(length / 250, 16, 1 << 22);
        var builder = new MeshBuilder(expected / 2, expected, options.MaxTriangles, deadline);
        using var tokens = new Utf8TokenReader(stream, MaxTokenBytes, "stl");
        Span<int> corner = stackalloc int[3];
        bool sawSolid = false;
        int words = 0;
        while (tokens.TryReadToken(out var token))
        {
            // Words outside facets (a long name, junk) build nothing, so the builder's own checks would not run.
            if ((++words & 0xFFFF) == 0) deadline.Check();
            if (token.SequenceEqual("solid"u8))
            {
                sawSolid = true;
                // The name runs to the end of the line and may contain anything; skip words until the first facet.
                continue;
            }
            if (token.SequenceEqual("endsolid"u8) || !sawSolid) continue;
            if (!token.SequenceEqual("facet"u8)) continue; // words of a solid's name or endsolid's trailing name

            Expect(tokens, "normal"u8, "normal");
            for (int i = 0; i < 3; i++) ReadNumber(tokens);
            Expect(tokens, "outer"u8, "outer loop");
            Expect(tokens, "loop"u8, "outer loop");
            for (int v = 0; v < 3; v++)
            {
                Expect(tokens, "vertex"u8, "vertex");
                double x = ReadNumber(tokens), y = ReadNumber(tokens), z = ReadNumber(tokens);
                corner[v] = builder.AddVertex(x, y, z);
            }
            if (!tokens.TryReadToken(out var end) || !end.SequenceEqual("endloop"u8))
                throw Malformed(tokens, "a facet must have exactly three vertices followed by 'endloop'");
            Expect(tokens, "endfacet"u8, "endfacet");
            builder.AddTriangle(corner[0], corner[1], corner[2]);
        }
        if (!sawSolid) throw Errors.NotAMesh("The text file does not start with 'solid', so it is not an ASCII STL.");
        return builder.Build(ModelFormat.StlAscii, warnings, scale);
    }

    private static void Expect(Utf8TokenReader tokens, ReadOnlySpan<byte> word, string what)
    {
        if (!tokens.TryReadToken(out var token))
            throw new ModelFormatException("stl.truncated", $"The file ends in the middle of a facet (expected '{what}').");
        if (!token.SequenceEqual(word)) throw Malformed(tokens, $"expected '{what}'");
    }

    private static double ReadNumber(Utf8TokenReader tokens)
    {
        if (!tokens.TryReadToken(out var token))
            throw new ModelFormatException("stl.truncated", "The file ends in the middle of a facet (expected a number).");
        if (!Utf8Numbers.TryParseDouble(token, out double value)) throw Malformed(tokens, "expected a number");
        if (!double.IsFinite(value)) throw Errors.NonFinite();
        return value;
    }

    private static ModelFormatException Malformed(Utf8TokenReader tokens, string what) =>
        new("stl.malformed", $"The ASCII STL is malformed near line {tokens.LineNumber:N0}: {what}.");
}
