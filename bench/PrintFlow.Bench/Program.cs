using System.Diagnostics;
using PrintFlow.Bench;
using PrintFlow.Geometry;

// Usage:
//   generate <dir> <triangles>...   write closed binary STL tori (torus-<n>.stl)
//   analyze <file> [iterations]     in-process full analysis; prints median ms and ns/triangle
//   phases <file>                   read and analysis timed separately, one vs two threads
//   rawread <file>                  plain sequential read of the file: the I/O floor under the reader
//   profile <file>                  each analysis phase timed on its own
//   weld <file>                     the vertex weld alone, from memory (min and median ms, ns per corner)
return args switch
{
    ["generate", var dir, .. var sizes] => Generate(dir, sizes),
    ["analyze", var file] => Analyze(file, 15),
    ["rawread", var file] => RawReadRun(file),
    ["phases", var file] => Phases(file),
    ["profile", var file] => Profile.Run(file, 11),
    ["weld", var file] => WeldProfile.Run(file),
    ["analyze", var file, var n] => Analyze(file, int.Parse(n)),
    _ => Usage(),
};

static int RawReadRun(string file)
{
    RawRead.Run(file);
    return 0;
}

// Read and analysis timed separately, one thread and two threads interleaved so both see the same load; the
// minimum is the figure least disturbed by other processes on shared cores.
static int Phases(string file)
{
    var modes = new[] { 1, 2 };
    var read = modes.ToDictionary(m => m, _ => new List<double>());
    var analyze = modes.ToDictionary(m => m, _ => new List<double>());
    for (int i = 0; i < 21; i++)
        foreach (int threads in modes)
        {
            var sw = Stopwatch.StartNew();
            var mesh = ModelReader.Read(file, new ReadOptions { MaxDegreeOfParallelism = threads });
            read[threads].Add(sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            MeshAnalyzer.Analyze(mesh, new AnalysisOptions { MaxDegreeOfParallelism = threads });
            analyze[threads].Add(sw.Elapsed.TotalMilliseconds);
        }
    foreach (int threads in modes)
    {
        read[threads].Sort();
        analyze[threads].Sort();
        Console.WriteLine($"threads={threads} read min={read[threads][0]:F1} median={read[threads][10]:F1}  " +
                          $"analyze min={analyze[threads][0]:F1} median={analyze[threads][10]:F1}");
    }
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
    // The first call includes JIT compilation: what a one-shot CLI process pays. Then warm up and measure.
    var cold = Stopwatch.StartNew();
    MeshAnalysis result = ModelAnalysis.AnalyzeFile(file, analysis: options);
    double firstMs = cold.Elapsed.TotalMilliseconds;
    for (int i = 0; i < 3; i++) ModelAnalysis.AnalyzeFile(file, analysis: options);

    // Default settings (one thread) and two threads, interleaved so both see the same machine load.
    var total = new double[iterations];
    var read = new double[iterations];
    var single = new double[iterations];
    var twoThreadsRead = new ReadOptions { MaxDegreeOfParallelism = 2 };
    var twoThreads = new AnalysisOptions { BuildVolumeMm = options.BuildVolumeMm, MaxDegreeOfParallelism = 2 };
    long allocated = 0;
    int gen2Before = GC.CollectionCount(2);
    for (int i = 0; i < iterations; i++)
    {
        // The read alone (its arrays go back to the pool as AnalyzeFile's would), then the whole call Pricing and the
        // CLI make, with one thread and with two.
        var sw = Stopwatch.StartNew();
        ModelReader.Read(file).Recycle();
        read[i] = sw.Elapsed.TotalMilliseconds;
        sw.Restart();
        result = ModelAnalysis.AnalyzeFile(file, analysis: options);
        total[i] = sw.Elapsed.TotalMilliseconds;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        sw.Restart();
        ModelAnalysis.AnalyzeFile(file, twoThreadsRead, twoThreads);
        single[i] = sw.Elapsed.TotalMilliseconds;
        allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
    }
    int gen2 = GC.CollectionCount(2) - gen2Before;
    Array.Sort(total);
    Array.Sort(read);
    Array.Sort(single);
    double median = total[iterations / 2];
    double ns = median * 1e6 / result.Triangles;
    Console.WriteLine($"file={Path.GetFileName(file)} triangles={result.Triangles} median_ms={median:F2} read_ms={read[iterations / 2]:F2} " +
                      $"min_ms={total[0]:F2} two_threads_ms={single[iterations / 2]:F2} first_call_ms={firstMs:F1} ns_per_triangle={ns:F1} " +
                      $"volume_mm3={result.VolumeMm3:F3} watertight={result.Watertight} shells={result.Shells} " +
                      $"two_threads_alloc_mb={allocated / 1e6 / iterations:F1} gen2_collections={gen2}");
    return 0;
}

/// <summary>Reads the file in 1 MB chunks and does nothing else: how much of the reader's time is I/O.</summary>
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
            Console.WriteLine($"raw read {sw.Elapsed.TotalMilliseconds:F1} ms (checksum {sum})");
        }
    }
}
