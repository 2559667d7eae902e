using System.Diagnostics;
using PrintFlow.Bench;
using PrintFlow.Geometry;

// Usage:
//   generate <dir> <triangles>...   write closed binary STL tori (torus-<n>.stl)
//   analyze <file> [iterations]     in-process full analysis; prints median ms and ns/triangle
return args switch
{
    ["generate", var dir, .. var sizes] => Generate(dir, sizes),
    ["analyze", var file] => Analyze(file, 15),
    ["rawread", var file] => RawReadRun(file),
    ["phases", var file] => Phases(file),
    ["analyze", var file, var n] => Analyze(file, int.Parse(n)),
    _ => Usage(),
};

static int RawReadRun(string f) { RawRead.Run(f); return 0; }

// Read and analysis timed separately; the minimum is the figure least disturbed by other processes on shared cores.
static int Phases(string file)
{
    var read = new List<double>();
    var analyze = new List<double>();
    var readCpu = new List<double>();
    var analyzeCpu = new List<double>();
    var process = System.Diagnostics.Process.GetCurrentProcess();
    Mesh mesh = ModelReader.Read(file);
    for (int i = 0; i < 20; i++)
    {
        process.Refresh();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        mesh = ModelReader.Read(file);
        read.Add(sw.Elapsed.TotalMilliseconds);
        process.Refresh();
        var cpu1 = process.TotalProcessorTime;
        sw.Restart();
        MeshAnalyzer.Analyze(mesh);
        analyze.Add(sw.Elapsed.TotalMilliseconds);
        process.Refresh();
        readCpu.Add((cpu1 - cpu0).TotalMilliseconds);
        analyzeCpu.Add((process.TotalProcessorTime - cpu1).TotalMilliseconds);
    }
    read.Sort();
    analyze.Sort();
    readCpu.Sort();
    analyzeCpu.Sort();
    Console.WriteLine($"read min={read[0]:F1} median={read[10]:F1} cpu={readCpu[10]:F0}  analyze min={analyze[0]:F1} median={analyze[10]:F1} cpu={analyzeCpu[10]:F0}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: PrintFlow.Bench generate <dir> <triangles>... | analyze <file> [iterations]");
    return 2;
}

static int Generate(string dir, string[] sizes)
{
    Directory.CreateDirectory(dir);
    foreach (var size in sizes)
    {
        var (u, v) = TorusStl.GridFor(int.Parse(size));
        string path = Path.Combine(dir, $"torus-{size}.stl");
        long triangles = TorusStl.Write(path, u, v);
        Console.WriteLine($"{path} {triangles}");
    }
    return 0;
}

static int Analyze(string file, int iterations)
{
    var options = new AnalysisOptions { BuildVolumeMm = new Vector3d(256, 256, 256) };
    // Warm-up: JIT tiers up (tiered PGO) and the file is in the page cache.
    MeshAnalysis result = ModelAnalysis.AnalyzeFile(file, analysis: options);
    for (int i = 0; i < 3; i++) ModelAnalysis.AnalyzeFile(file, analysis: options);

    var total = new double[iterations];
    var read = new double[iterations];
    for (int i = 0; i < iterations; i++)
    {
        var sw = Stopwatch.StartNew();
        var mesh = ModelReader.Read(file);
        double readMs = sw.Elapsed.TotalMilliseconds;
        result = MeshAnalyzer.Analyze(mesh, options);
        total[i] = sw.Elapsed.TotalMilliseconds;
        read[i] = readMs;
    }
    Array.Sort(total);
    Array.Sort(read);
    double median = total[iterations / 2];
    double ns = median * 1e6 / result.Triangles;
    Console.WriteLine($"file={Path.GetFileName(file)} triangles={result.Triangles} median_ms={median:F2} read_ms={read[iterations / 2]:F2} " +
                      $"min_ms={total[0]:F2} ns_per_triangle={ns:F1} volume_mm3={result.VolumeMm3:F3} watertight={result.Watertight} shells={result.Shells}");
    return 0;
}
static class RawRead
{
    public static void Run(string file)
    {
        var buf = new byte[1_000_000];
        for (int k = 0; k < 8; k++)
        {
            var sw = Stopwatch.StartNew();
            using var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            long sum = 0; int n;
            while ((n = fs.Read(buf, 0, buf.Length)) > 0) sum += buf[n - 1];
            Console.WriteLine($"raw read {sw.Elapsed.TotalMilliseconds:F1} ms {sum}");
        }
    }
}
