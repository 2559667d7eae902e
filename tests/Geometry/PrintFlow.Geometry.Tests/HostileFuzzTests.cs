using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using PrintFlow.Geometry.Tests.Support;
using Xunit.Abstractions;

namespace PrintFlow.Geometry.Tests;

/// <summary>
/// Generative fuzzing with files an attacker would write rather than random damage (FuzzTests does that): nested
/// instancing, absurd counts, zip bombs and lying ZIP headers, many and duplicate entries, path tricks, missing parts,
/// XML built to exhaust the parser, polygon fans, lying STL counts, poisoned numbers. Deterministic (seeded). Every
/// file must be analysed with finite results or refused with a coded ModelFormatException, each within a few
/// seconds and a bounded allocation: never another exception, a hang or a runaway.
/// </summary>
public sealed class HostileFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261206;
    private const int PerKind = 16;
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(5); // generous: the cores are shared
    private static readonly TimeSpan WholeRunBound = TimeSpan.FromSeconds(90);
    private const long PerInputAllocationBound = 256L << 20;

    // Limits scaled down from the service's (20M triangles) so that files at and past them stay quick to generate.
    private static readonly ReadOptions Options = new() { MaxFileBytes = 8 << 20, MaxTriangles = 50_000 };
    private static readonly AnalysisOptions Analysis = new() { BuildVolumeMm = new Vector3d(250, 210, 210) };

    private delegate (string Name, byte[] Bytes) Generator(Random random);

    private static readonly (string Kind, Generator Make)[] Kinds =
    [
        ("3mf-nested-instancing", NestedInstancing),
        ("3mf-huge-counts", HugeCounts),
        ("3mf-zip-bomb", ZipBomb),
        ("3mf-lying-sizes", LyingZipSizes),
        ("3mf-many-entries", ManyEntries),
        ("3mf-duplicate-entries", DuplicateEntries),
        ("3mf-path-tricks", PathTricks),
        ("3mf-missing-part", MissingPart),
        ("3mf-xml-abuse", XmlAbuse),
        ("3mf-bad-numbers", ThreeMfBadNumbers),
        ("obj-polygon-fan", ObjFan),
        ("obj-bad-numbers", ObjBadNumbers),
        ("obj-many-vertices", ObjManyVertices),
        ("stl-lying-count", StlLyingCount),
        ("stl-special-floats", StlSpecialFloats),
        ("stl-degenerate-mass", StlDegenerateMass),
        ("stl-ascii-absurd", AsciiAbsurd),
        ("stl-ascii-bad-numbers", AsciiBadNumbers),
    ];

    [Fact]
    public async Task AllReaders_WhenGivenGeneratedHostileFiles_AnalyseOrRefuseWithinBounds()
    {
        string current = "";
        int done = 0, analysed = 0;
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var slowest = (Time: TimeSpan.Zero, Input: "");
        var hungriest = (Bytes: 0L, Input: "");

        var run = Task.Factory.StartNew(() =>
        {
            var random = new Random(Seed);
            for (int round = 0; round < PerKind; round++)
                foreach (var (kind, make) in Kinds)
                {
                    var (name, bytes) = make(random);
                    current = $"{kind} #{round} ({name}, {bytes.Length:N0} bytes)";
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    var clock = Stopwatch.StartNew();
                    try
                    {
                        using var stream = new MemoryStream(bytes, writable: false);
                        var a = ModelAnalysis.AnalyzeStream(stream, name, Options, Analysis);
                        AssertFinite(a, current);
                        analysed++;
                    }
                    catch (ModelFormatException e)
                    {
                        Assert.Matches(@"^[0-9a-z]+(\.[a-z0-9-]+)+$", e.Code);
                        Assert.False(string.IsNullOrWhiteSpace(e.Message), current);
                        codes[e.Code] = codes.GetValueOrDefault(e.Code) + 1;
                    }
                    catch (Exception e)
                    {
                        Assert.Fail($"{current}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                    var elapsed = clock.Elapsed;
                    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (elapsed > slowest.Time) slowest = (elapsed, current);
                    if (allocated > hungriest.Bytes) hungriest = (allocated, current);
                    Assert.True(elapsed < PerInputBound, $"{current} took {elapsed.TotalMilliseconds:N0} ms");
                    Assert.True(allocated < PerInputAllocationBound, $"{current} allocated {allocated:N0} bytes");
                    done++;
                }
        }, TaskCreationOptions.LongRunning);

        // A reader that hangs cannot be interrupted in-process; the bound turns it into a failure naming the input.
        var finished = await Task.WhenAny(run, Task.Delay(WholeRunBound));
        Assert.True(finished == run, $"fuzzing stalled at {current} after {done:N0} inputs (a hang?)");
        await run;
        output.WriteLine($"{done:N0} inputs, {analysed:N0} analysed; slowest {slowest.Time.TotalMilliseconds:N0} ms ({slowest.Input}); " +
                         $"most allocated {hungriest.Bytes:N0} bytes ({hungriest.Input})");
        foreach (var (code, count) in codes) output.WriteLine($"{code}: {count:N0}");
        Assert.Equal(PerKind * Kinds.Length, done);
        Assert.True(codes.GetValueOrDefault("model.too-complex") > 0, "the instancing files should meet the placement budget");
    }

    private static void AssertFinite(MeshAnalysis a, string input)
    {
        foreach (double d in new[] { a.VolumeMm3, a.AreaMm2, a.VolumeAfterOrientationFixMm3, a.OverhangAreaMm2, a.SupportVolumeMm3,
                     a.BoundingBoxMm.Min.X, a.BoundingBoxMm.Max.Z })
            Assert.True(double.IsFinite(d), $"{input}: non-finite result");
        Assert.True(a.Triangles > 0 && a.Shells >= 1 && a.AreaMm2 >= 0, input);
    }

    // ---- 3MF ----

    private static T Pick<T>(Random random, params T[] choices) => choices[random.Next(choices.Length)];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Package(string modelXml, CompressionLevel level = CompressionLevel.Fastest) =>
        HostileModels.ThreeMf([("3D/3dmodel.model", Utf8(modelXml))], level: level);

    private static string MeshObject(int id, int vertices, int triangles, Random random)
    {
        var sb = new StringBuilder($"<object id=\"{id}\" type=\"model\"><mesh><vertices>");
        for (int i = 0; i < vertices; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<vertex x=\"{i % 97}\" y=\"{i / 97 % 89}\" z=\"{i % 7}\"/>");
        sb.Append("</vertices><triangles>");
        for (int i = 0; i < triangles; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<triangle v1=\"{random.Next(vertices)}\" v2=\"{random.Next(vertices)}\" v3=\"{random.Next(vertices)}\"/>");
        sb.Append("</triangles></mesh></object>");
        return sb.ToString();
    }

    private static string Transform(Random random) => random.Next(4) switch
    {
        0 => "",
        1 => $" transform=\"1 0 0 0 1 0 0 0 1 {random.Next(100)} {random.Next(100)} 0\"",
        2 => " transform=\"-1 0 0 0 1 0 0 0 1 0 0 0\"",
        _ => $" transform=\"{Pick(random, "1e300", "0", "1", "-1", "1e-300")} 0 0 0 1 0 0 0 1 0 0 0\"",
    };

    private static (string, byte[]) NestedInstancing(Random random)
    {
        int levels = 1 + random.Next(20);
        int vertices = Pick(random, 3, 8, 500, 5_000, 50_000);
        var sb = new StringBuilder(MeshObject(1, vertices, 1 + random.Next(Math.Min(vertices, 2_000)), random));
        for (int level = 2; level <= levels + 1; level++)
        {
            int fanout = Pick(random, 1, 2, 10, 100, 1_000, 2_000);
            sb.Append(CultureInfo.InvariantCulture, $"<object id=\"{level}\"><components>");
            for (int c = 0; c < fanout; c++)
            {
                // Now and then a component reaches further down, or back up (a cycle).
                int target = random.Next(50) == 0 ? 1 + random.Next(levels + 1) : level - 1;
                sb.Append(CultureInfo.InvariantCulture, $"<component objectid=\"{target}\"{Transform(random)}/>");
            }
            sb.Append("</components></object>");
        }
        string items = string.Concat(Enumerable.Range(0, 1 + random.Next(3)).Select(_ => $"<item objectid=\"{1 + random.Next(levels + 1)}\"/>"));
        return ("nested.3mf", Package(ModelFiles.ThreeMfModelXml(sb.ToString(), items)));
    }

    private static (string, byte[]) HugeCounts(Random random)
    {
        // Near or past the limits of 50,000 triangles and 150,000 vertices, or a million empty objects.
        string resources = random.Next(3) switch
        {
            0 => MeshObject(1, Pick(random, 10_000, 50_000, 160_000), 1, random),
            1 => MeshObject(1, 1_000, Pick(random, 40_000, 55_000), random),
            _ => string.Concat(Enumerable.Range(1, Pick(random, 100_000, 100_000, 1_000_001)).Select(i => $"<object id=\"{i}\"/>")),
        };
        return ("counts.3mf", Package(ModelFiles.ThreeMfModelXml(resources, "<item objectid=\"1\"/>")));
    }

    private static (string, byte[]) ZipBomb(Random random)
    {
        int megabytes = Pick(random, 2, 8, 32);
        byte[] filler = Utf8(Pick(random, " ", "<a/>", "<!-- x -->", "0"));
        var content = new byte[megabytes << 20];
        for (int i = 0; i < content.Length; i++) content[i] = filler[i % filler.Length];
        var head = Utf8("<model xmlns=\"http://schemas.microsoft.com/3dmanufacturing/core/2015/02\"><resources>");
        head.CopyTo(content, 0);
        return ("bomb.3mf", HostileModels.ThreeMf([("3D/3dmodel.model", content)], level: CompressionLevel.Optimal));
    }

    private static (string, byte[]) LyingZipSizes(Random random)
    {
        // A valid package whose local and central headers then lie about the sizes and CRC of the model part.
        var xml = ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(10)) + new string(' ', random.Next(3_000_000)), "<item objectid=\"1\"/>");
        var bytes = Package(xml);
        uint[] lies = [0, 1, 100, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, (uint)random.Next()];
        for (int at = 0; at + 46 < bytes.Length; at++)
        {
            uint signature = BitConverter.ToUInt32(bytes, at);
            int[] fields = signature switch
            {
                0x04034b50 => [14, 18, 22], // local header: CRC, compressed, uncompressed
                0x02014b50 => [16, 20, 24], // central header: the same
                _ => [],
            };
            foreach (int field in fields)
                if (random.Next(3) == 0) BitConverter.TryWriteBytes(bytes.AsSpan(at + field), lies[random.Next(lies.Length)]);
        }
        return ("lying.3mf", bytes);
    }

    private static (string, byte[]) ManyEntries(Random random)
    {
        int count = Pick(random, 500, 9_000, 10_001, 30_000);
        var model = Utf8(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(5)), "<item objectid=\"1\"/>"));
        var entries = Enumerable.Range(0, count).Select(i => ($"Metadata/{i}.txt", Array.Empty<byte>()));
        entries = random.Next(2) == 0 ? entries.Prepend(("3D/3dmodel.model", model)) : entries.Append(("3D/3dmodel.model", model));
        return ("entries.3mf", HostileModels.ThreeMf(entries, level: CompressionLevel.NoCompression));
    }

    private static (string, byte[]) DuplicateEntries(Random random)
    {
        var small = Utf8(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1)), "<item objectid=\"1\"/>"));
        var large = Utf8(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(100)), "<item objectid=\"1\"/>"));
        string twin = Pick(random, "3D/3dmodel.model", "3d/3DModel.model", "_rels/.rels");
        byte[] twinContent = twin == "_rels/.rels" ? Utf8(HostileModels.Rels) : large;
        return ("twins.3mf", HostileModels.ThreeMf([("3D/3dmodel.model", small), (twin, twinContent)]));
    }

    private static (string, byte[]) PathTricks(Random random)
    {
        string target = Pick(random, "../../etc/passwd", "/3D/../3D/3dmodel.model", "C:\\Windows\\win.ini", "\\\\server\\share\\m.model",
            "3D/3dmodel.model\u0000.png", new string('a', 20_000), "", "/", "//3D//3dmodel.model", "%2e%2e/3dmodel.model",
            "/_rels/.rels", "/Metadata/thumbnail.png", "/3D/3dmodel.model");
        string rels = HostileModels.Rels.Replace("/3D/3dmodel.model", System.Security.SecurityElement.Escape(target), StringComparison.Ordinal);
        string componentPath = Pick(random, "/_rels/.rels", "/Metadata/thumbnail.png", "/3D/3dmodel.model", "../x.model", "/3D/missing.model");
        string resources = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(3))
            + $"<object id=\"2\"><components><component p:path=\"{componentPath}\" objectid=\"1\"/></components></object>";
        var model = Utf8(ModelFiles.ThreeMfModelXml(resources, $"<item objectid=\"{1 + random.Next(2)}\"/>"));
        var png = new byte[1024];
        random.NextBytes(png);
        string modelName = Pick(random, "3D/3dmodel.model", "3D/../3D/3dmodel.model", "/3D/3dmodel.model", "3D\\3dmodel.model");
        return ("paths.3mf", HostileModels.ThreeMf([(modelName, model), ("Metadata/thumbnail.png", png)], rels));
    }

    private static (string, byte[]) MissingPart(Random random)
    {
        var model = Utf8(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(3)), "<item objectid=\"1\"/>"));
        return random.Next(5) switch
        {
            0 => ("empty.3mf", HostileModels.ThreeMf([], rels: null)),
            1 => ("norels.3mf", HostileModels.ThreeMf([("3D/other.model", model)], rels: null)),
            2 => ("dangling.3mf", HostileModels.ThreeMf([("3D/other.model", model)])),
            3 => ("noitems.3mf", Package(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(3)), ""))),
            _ => ("noobject.3mf", Package(ModelFiles.ThreeMfModelXml("", $"<item objectid=\"{random.Next()}\"/>"))),
        };
    }

    private static string Letters(Random random, int n) =>
        string.Create(n, random, (span, r) => { for (int i = 0; i < span.Length; i++) span[i] = (char)('a' + r.Next(26)); });

    private static (string, byte[]) XmlAbuse(Random random)
    {
        string payload = random.Next(9) switch
        {
            0 => "<metadata " + string.Concat(Enumerable.Range(0, Pick(random, 1_000, 200_000)).Select(i => $"a{i}=\"{i}\" ")) + "/>",
            1 => $"<metadata name=\"{Letters(random, Pick(random, 1_000, 2 << 20))}\"/>",
            2 => $"<metadata name=\"x\">{Letters(random, Pick(random, 1_000, 2 << 20))}</metadata>",
            3 => $"<metadata><![CDATA[{Letters(random, 1_000)}]]></metadata>",
            4 => string.Concat(Enumerable.Range(0, Pick(random, 60, 100_000)).Select(_ => $"<{Letters(random, 6)}>")),
            5 => $"<!-- {Letters(random, Pick(random, 1_000, 3 << 20))} -->",
            6 => string.Concat(Enumerable.Range(0, 20_000).Select(i => $"<?pi{i} data?>")),
            7 => string.Concat(Enumerable.Range(0, 50_000).Select(i => $"<x:m{i} xmlns:x=\"urn:{i}\"/>")),
            _ => "&#xFFFF;&#0;\uFFFE",
        };
        string xml = random.Next(6) == 0
            ? "<?xml version=\"1.0\"?><!DOCTYPE model [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><model>&b;</model>"
            : ModelFiles.ThreeMfModelXml(payload + ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(2)), "<item objectid=\"1\"/>");
        var bytes = Utf8(xml);
        if (random.Next(8) == 0) bytes[random.Next(bytes.Length)] = 0xC3; // a broken UTF-8 sequence
        return ("xml.3mf", HostileModels.ThreeMf([("3D/3dmodel.model", bytes)], level: CompressionLevel.Fastest));
    }

    private static readonly string[] PoisonNumbers =
    [
        "nan", "NaN", "inf", "-Infinity", "1e400", "-1e309", "1e-400", "0x10", "1,5", "١٢", " 1", "1 ", "+-1", "1e", ".", "",
        "3e38", "-3.4028235e38", "1e308", "-0", "00000000000000000000001", new string('9', 5_000), "1" + new string('0', 400) + ".5",
    ];

    private static readonly string[] PoisonIndices = ["-1", "2147483648", "99999999999", "1.5", "", "0x1", "+0", "-0", "7", new string('1', 3_000)];

    private static (string, byte[]) ThreeMfBadNumbers(Random random)
    {
        var sb = new StringBuilder("<object id=\"1\"><mesh><vertices>");
        for (int i = 0; i < 8; i++)
        {
            string N() => random.Next(3) == 0 ? Pick(random, PoisonNumbers) : random.Next(10).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<vertex x=\"{N()}\" y=\"{N()}\" z=\"{N()}\"/>");
        }
        sb.Append("</vertices><triangles>");
        for (int i = 0; i < 12; i++)
        {
            string I() => random.Next(4) == 0 ? Pick(random, PoisonIndices) : random.Next(8).ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<triangle v1=\"{I()}\" v2=\"{I()}\" v3=\"{I()}\"/>");
        }
        sb.Append("</triangles></mesh></object>");
        string id = random.Next(4) == 0 ? Pick(random, PoisonIndices) : "1";
        string item = $"<item objectid=\"{id}\"{(random.Next(3) == 0 ? $" transform=\"{string.Join(' ', Enumerable.Range(0, random.Next(14)).Select(_ => Pick(random, PoisonNumbers)))}\"" : "")}/>";
        return ("numbers.3mf", Package(ModelFiles.ThreeMfModelXml(sb.ToString(), item, Pick(random, "millimeter", "micron", "parsec", ""))));
    }

    // ---- OBJ ----

    private static (string, byte[]) ObjFan(Random random)
    {
        int corners = Pick(random, 1_000, 40_000, 60_000, 600_000);
        var sb = new StringBuilder("v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 1\n");
        sb.Append('f');
        for (int i = 0; i < corners; i++)
        {
            sb.Append(' ').Append(1 + (i & 3));
            if (random.Next(50_000) == 0) sb.Append(" \\\n"); // a continued line
        }
        sb.Append('\n');
        return ("fan.obj", Utf8(sb.ToString()));
    }

    private static (string, byte[]) ObjBadNumbers(Random random)
    {
        var sb = new StringBuilder("# hostile\n");
        for (int i = 0; i < 20; i++)
        {
            switch (random.Next(8))
            {
                case 0: sb.Append(CultureInfo.InvariantCulture, $"v {Pick(random, PoisonNumbers)} 0 0\n"); break;
                case 1: sb.Append(CultureInfo.InvariantCulture, $"f {Pick(random, PoisonIndices)} 1 2\n"); break;
                case 2: sb.Append(CultureInfo.InvariantCulture, $"f {Pick(random, "1/2/3/4/5", "//1", "0", "-999999", "9223372036854775808", "1/", "/")} 2 3\n"); break;
                case 3: sb.Append(Pick(random, "\\\n", "\\\r", "v 1 2 \\\n 3\n", "\0\0\0\n", "\r\r\r", "f\n", "v\n")); break;
                case 4: sb.Append("v ").Append(Letters(random, Pick(random, 100, 2 << 20))).Append('\n'); break;
                default: sb.Append(CultureInfo.InvariantCulture, $"v {random.Next(10)} {random.Next(10)} {random.Next(10)}\nf -1 -2 -3\n"); break;
            }
        }
        return ("numbers.obj", Utf8(sb.ToString()));
    }

    private static (string, byte[]) ObjManyVertices(Random random)
    {
        int vertices = Pick(random, 1_000, 100_000, 160_000);
        var sb = new StringBuilder(vertices * 8);
        for (int i = 0; i < vertices; i++) sb.Append("v 0 0 0\n");
        if (random.Next(2) == 0) sb.Append("f 1 2 3\n");
        return ("vertices.obj", Utf8(sb.ToString()));
    }

    // ---- STL ----

    private static (string, byte[]) StlLyingCount(Random random)
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Sphere(10, 12 + random.Next(40), 8 + random.Next(30)));
        uint count = BitConverter.ToUInt32(bytes, 80);
        uint lie = Pick(random, 0u, count - 1, count + 1, uint.MaxValue, 0x40000000u, 50_001u, (uint)random.Next());
        BitConverter.TryWriteBytes(bytes.AsSpan(80), lie);
        int keep = random.Next(3) switch { 0 => bytes.Length, 1 => random.Next(bytes.Length), _ => 84 + 50 * (int)Math.Min(lie, 1_000u) };
        var cut = new byte[keep];
        Array.Copy(bytes, cut, Math.Min(keep, bytes.Length));
        return (Pick(random, "lying.stl", "lying.bin", "lying"), cut);
    }

    private static (string, byte[]) StlSpecialFloats(Random random)
    {
        var bytes = ModelFiles.BinaryStl(Shapes.Cube(10));
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, float.Epsilon, -0f, 3e38f, 1e-38f];
        for (int k = 1 + random.Next(6); k > 0; k--)
        {
            int triangle = random.Next(12), corner = 3 + random.Next(9); // skip the normal: it is ignored anyway
            BitConverter.TryWriteBytes(bytes.AsSpan(84 + 50 * triangle + 4 * corner), specials[random.Next(specials.Length)]);
        }
        return ("special.stl", bytes);
    }

    private static (string, byte[]) StlDegenerateMass(Random random)
    {
        int count = Pick(random, 1_000, 40_000, 60_000);
        var bytes = new byte[84 + 50 * count];
        BitConverter.TryWriteBytes(bytes.AsSpan(80), (uint)count);
        var span = bytes.AsSpan(84);
        bool randomFloats = random.Next(2) == 0;
        for (int t = 0; t < count; t++)
            for (int k = 3; k < 12; k++)
                BitConverter.TryWriteBytes(span[(50 * t + 4 * k)..], randomFloats ? (float)(random.NextDouble() * 200) : 1f);
        return ("mass.stl", bytes);
    }

    private static (string, byte[]) AsciiAbsurd(Random random)
    {
        var sb = new StringBuilder("solid ");
        switch (random.Next(6))
        {
            case 0: sb.Append(Letters(random, Pick(random, 4_000, 4_097, 100_000))); break;
            case 1: for (int i = 0; i < 300_000; i++) sb.Append("junk "); break;
            case 2: sb.Append("\nfacet normal 0 0 0 outer loop vertex 0 0 0 vertex 1 0 0 vertex 0 1 0 vertex 1 1 1 endloop endfacet"); break;
            case 3: sb.Append("solid solid solid\nfacet facet facet"); break;
            case 4:
                for (int i = 0; i < 30_000; i++) sb.Append("facet normal 0 0 0 outer loop vertex 0 0 0 vertex 1 0 0 vertex 0 1 0 endloop endfacet\n");
                break;
            default: sb.Append('\n').Append(Letters(random, 10)).Append(" \0\0 facet normal"); break;
        }
        if (random.Next(2) == 0) sb.Append("\nendsolid");
        return (Pick(random, "absurd.stl", "absurd"), Utf8(sb.ToString()));
    }

    private static (string, byte[]) AsciiBadNumbers(Random random)
    {
        string N() => random.Next(3) == 0 ? Pick(random, PoisonNumbers).Trim() is { Length: > 0 } p ? p.Replace(' ', '_') : "x" : random.Next(10).ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder("solid poison\n");
        for (int i = 0; i < 4; i++)
            sb.Append(CultureInfo.InvariantCulture,
                $"facet normal {N()} {N()} {N()}\nouter loop\nvertex {N()} {N()} {N()}\nvertex {N()} {N()} {N()}\nvertex {N()} {N()} {N()}\nendloop\nendfacet\n");
        sb.Append("endsolid poison\n");
        return ("poison.stl", Utf8(sb.ToString()));
    }
}
