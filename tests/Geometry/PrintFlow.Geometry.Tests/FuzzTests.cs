using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using PrintFlow.Geometry.Tests.Support;
using Xunit.Abstractions;

namespace PrintFlow.Geometry.Tests;

/// <summary>
/// Deterministic mutation fuzzing: small valid seeds of every format are bit-flipped, truncated, padded, spliced and
/// given absurd counts. Every outcome must be an analysis with finite numbers or a ModelFormatException with a code,
/// and no input may take long: a reader that hangs or throws anything else is a bug.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int InputsPerSeed = 15_000;
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(2); // generous: CI cores are shared
    private static readonly TimeSpan WholeRunBound = TimeSpan.FromSeconds(150);

    private static readonly ReadOptions Options = new() { MaxFileBytes = 1 << 20, MaxTriangles = 100_000 };
    private static readonly AnalysisOptions Analysis = new() { BuildVolumeMm = new Vector3d(200, 200, 200) };

    private static IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        var cube = Shapes.Cube(10);
        var tet = Shapes.Tetrahedron(5);
        yield return ("cube.stl", ModelFiles.BinaryStl(cube));
        yield return ("solid-header.stl", ModelFiles.BinaryStl(tet, "solid tetra"));
        yield return ("cube-ascii.stl", Encoding.ASCII.GetBytes(ModelFiles.AsciiStl(tet)));
        yield return ("cube.obj", Encoding.ASCII.GetBytes(ModelFiles.Obj(cube)));
        yield return ("quads.obj", "v 0 0 0\nv 1 0 0\nv 1 1 0\nv 0 1 0\nv 0 0 1\nf 1/1/1 2//1 3 4\nf -5 -4 -1\nf 1 2 5\n"u8.ToArray());
        yield return ("cube.3mf", ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(ModelFiles.ThreeMfMeshObject(1, cube),
            "<item objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 5 5 0\"/>")));
        yield return ("stored.3mf", StoredThreeMf(ModelFiles.ThreeMfModelXml(
            ModelFiles.ThreeMfMeshObject(1, tet) + "<object id=\"2\"><components><component objectid=\"1\"/></components></object>",
            "<item objectid=\"2\"/>")));
    }

    [Fact]
    public async Task AllReaders_WhenGivenMutatedInputs_ReturnAnalysisOrModelFormatException()
    {
        int done = 0;
        string current = "";
        var codes = new Dictionary<string, int>();
        long analyses = 0;
        TimeSpan slowest = TimeSpan.Zero;
        string slowestInput = "";

        var run = Task.Run(() =>
        {
            foreach (var (name, seed) in Seeds())
            {
                // string.GetHashCode is randomised per process; a stable seed keeps every run identical.
                var random = new Random(StableSeed(name));
                for (int i = 0; i < InputsPerSeed; i++)
                {
                    byte[] input = Mutate(seed, random, name.EndsWith(".3mf", StringComparison.Ordinal));
                    current = $"{name} #{i}";
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        using var stream = new MemoryStream(input, writable: false);
                        var a = ModelAnalysis.AnalyzeStream(stream, name, Options, Analysis);
                        AssertFinite(a, current);
                        analyses++;
                    }
                    catch (ModelFormatException e)
                    {
                        Assert.False(string.IsNullOrWhiteSpace(e.Code), current);
                        Assert.Matches(@"^[0-9a-z]+(\.[a-z0-9-]+)+$", e.Code);
                        Assert.False(string.IsNullOrWhiteSpace(e.Message), current);
                        codes[e.Code] = codes.GetValueOrDefault(e.Code) + 1;
                    }
                    catch (Exception e)
                    {
                        Assert.Fail($"{current}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                    }
                    if (sw.Elapsed > slowest) { slowest = sw.Elapsed; slowestInput = current; }
                    Assert.True(sw.Elapsed < PerInputBound, $"{current} took {sw.Elapsed.TotalMilliseconds:F0} ms");
                    done++;
                }
            }
        });

        // A reader that hangs cannot be interrupted in-process; the bound turns it into a failure naming the input.
        var finished = await Task.WhenAny(run, Task.Delay(WholeRunBound));
        Assert.True(finished == run, $"fuzzing stalled at {current} after {done:N0} inputs (a hang?)");
        await run;
        output.WriteLine($"{done:N0} inputs, {analyses:N0} analyses, slowest {slowest.TotalMilliseconds:F1} ms ({slowestInput})");
        foreach (var (code, count) in codes.OrderByDescending(c => c.Value)) output.WriteLine($"{code}: {count:N0}");
        Assert.True(done >= 100_000);
        Assert.True(analyses > 1000, "mutations should leave many inputs readable");
    }

    private static int StableSeed(string s)
    {
        int h = 17;
        foreach (char c in s) h = h * 31 + c;
        return h;
    }

    private static void AssertFinite(MeshAnalysis a, string input)
    {
        foreach (double d in new[] { a.VolumeMm3, a.AreaMm2, a.VolumeAfterOrientationFixMm3, a.OverhangAreaMm2, a.SupportVolumeMm3,
                     a.BoundingBoxMm.Min.X, a.BoundingBoxMm.Max.Z })
            Assert.True(double.IsFinite(d), $"{input}: non-finite result");
        Assert.True(a.Triangles > 0 && a.Shells >= 1 && a.AreaMm2 >= 0 && a.SupportVolumeMm3 >= 0, input);
    }

    private static byte[] Mutate(byte[] seed, Random random, bool zip)
    {
        // For packages, most mutations go to the XML inside so the structure is exercised, not only the ZIP CRC.
        if (zip && random.Next(3) != 0) return MutateInsideZip(seed, random);
        var bytes = new List<byte>(seed);
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds; r++) MutateOnce(bytes, random);
        return [.. bytes];
    }

    private static void MutateOnce(List<byte> bytes, Random random)
    {
        if (bytes.Count == 0) { bytes.Add((byte)random.Next(256)); return; }
        int at = random.Next(bytes.Count);
        switch (random.Next(9))
        {
            case 0: // bit flips
                for (int k = 1 + random.Next(8); k > 0; k--) { int i = random.Next(bytes.Count); bytes[i] ^= (byte)(1 << random.Next(8)); }
                break;
            case 1: // truncation
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 2: // inserted random bytes
                var inserted = new byte[1 + random.Next(64)];
                random.NextBytes(inserted);
                bytes.InsertRange(at, inserted);
                break;
            case 3: // huge little-endian count, often exactly where a binary STL keeps its triangle count
            {
                int where = random.Next(2) == 0 && bytes.Count >= 84 ? 80 : at;
                uint[] huge = [uint.MaxValue, int.MaxValue, 0x40000000, 1_000_001, 0];
                var value = BitConverter.GetBytes(huge[random.Next(huge.Length)]);
                for (int k = 0; k < 4 && where + k < bytes.Count; k++) bytes[where + k] = value[k];
                break;
            }
            case 4: // splice: duplicate a block
            {
                int length = Math.Min(bytes.Count - at, 1 + random.Next(200));
                bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                break;
            }
            case 5: // delete a block
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(50)));
                break;
            case 6: // textual poison: numbers and indices that readers must reject or bound
            {
                string[] words = [" nan ", " inf ", " 1e400 ", " -1e308 ", " 99999999999 ", " -2147483649 ", " 0 ", " -0 ",
                    "\nf 0 1 2\n", "\nf -99 1 2\n", "\nfacet normal 0 0 0\n", "\nendsolid\n", "\"-7\"", "\"1e999\"",
                    " v1=\"-1\" ", "<triangle v1=\"0\" v2=\"0\" v3=\"999999\"/>", "<component objectid=\"1\"/>", "\0"];
                bytes.InsertRange(at, Encoding.ASCII.GetBytes(words[random.Next(words.Length)]));
                break;
            }
            case 7: // float specials over a binary STL coordinate
            {
                float[] specials = [float.NaN, float.PositiveInfinity, float.MaxValue, -0f, 1e-45f, 3e38f];
                var value = BitConverter.GetBytes(specials[random.Next(specials.Length)]);
                for (int k = 0; k < 4 && at + k < bytes.Count; k++) bytes[at + k] = value[k];
                break;
            }
            default: // random byte overwrite
                bytes[at] = (byte)random.Next(256);
                break;
        }
    }

    private static byte[] MutateInsideZip(byte[] package, Random random)
    {
        using var source = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read);
        using var memory = new MemoryStream();
        using (var target = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = entry.Open();
                using var content = new MemoryStream();
                reader.CopyTo(content);
                var bytes = new List<byte>(content.ToArray());
                if (entry.FullName.EndsWith(".model", StringComparison.Ordinal) || random.Next(8) == 0)
                    for (int r = 1 + random.Next(3); r > 0; r--) MutateOnce(bytes, random);
                var copy = target.CreateEntry(entry.FullName, CompressionLevel.Fastest);
                using var writer = copy.Open();
                writer.Write([.. bytes]);
            }
        }
        return memory.ToArray();
    }

    private static byte[] StoredThreeMf(string modelXml)
    {
        // Uncompressed entries: raw-byte mutations then hit the XML directly.
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            var rels = zip.CreateEntry("_rels/.rels", CompressionLevel.NoCompression);
            using (var s = rels.Open())
                s.Write("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Target=\"/3D/3dmodel.model\" Id=\"r\" Type=\"http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel\"/></Relationships>"u8);
            var model = zip.CreateEntry("3D/3dmodel.model", CompressionLevel.NoCompression);
            using var stream = model.Open();
            stream.Write(Encoding.UTF8.GetBytes(modelXml));
        }
        return memory.ToArray();
    }
}
