using System.Diagnostics;
using PrintFlow.Geometry;
using PrintFlow.Geometry.Analysis;

namespace PrintFlow.Bench;

/// <summary>Times each analysis phase on its own (read, bounds, edges, geometry, shells): where the time goes.</summary>
internal static class Profile
{
    public static int Run(string file, int iterations)
    {
        var names = new[] { "read", "bounds", "edges", "geometry", "shells", "full" };
        var times = names.ToDictionary(n => n, _ => new List<double>());
        var cpu = names.ToDictionary(n => n, _ => new List<double>());
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < iterations + 2; i++)
        {
            var sw = Stopwatch.StartNew();
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var mesh = ModelReader.Read(file);
            Add("read");
            var box = BoxOf.Positions(mesh.Positions);
            Add("bounds");
            using (new EdgeTopology(mesh.IndexArray, mesh.Indices.Length, mesh.VertexCount, withPartner: false, parallel: false)) { }
            Add("edges");
            GeometryPass.Run(mesh.Positions, mesh.Indices, box, null, 45, Environment.GetEnvironmentVariable("PRINTFLOW_LANDED_SUPPORT") == "1");
            Add("geometry");
            UnionFind.Shells(mesh.Indices, mesh.VertexCount);
            Add("shells");
            MeshAnalyzer.Analyze(ModelReader.Read(file));
            Add("full");

            void Add(string name)
            {
                process.Refresh();
                var cpuNow = process.TotalProcessorTime;
                if (i >= 2)
                {
                    times[name].Add(sw.Elapsed.TotalMilliseconds);
                    cpu[name].Add((cpuNow - cpuStart).TotalMilliseconds);
                }
                cpuStart = cpuNow;
                sw.Restart();
            }
        }
        foreach (var n in names)
        {
            var t = times[n];
            var c = cpu[n];
            t.Sort();
            c.Sort();
            Console.WriteLine($"{n,-9} wall min={t[0],7:F1} median={t[t.Count / 2],7:F1} ms   cpu min={c[0],7:F1} median={c[c.Count / 2],7:F1} ms");
        }
        return 0;
    }
}

/// <summary>
/// The weld alone, from a file already in memory (no I/O): what <c>FloatWelder.AddRecords</c> costs per corner. The
/// welder's arrays go back to the pool after each round, as the reader's do.
/// </summary>
internal static class WeldProfile
{
    public static int Run(string file, int iterations = 31)
    {
        var bytes = File.ReadAllBytes(file);
        int triangles = (bytes.Length - 84) / 50;
        var indices = new int[triangles * 3];
        var adds = new List<double>();
        int vertices = 0;
        for (int i = 0; i < iterations + 3; i++)
        {
            var welder = new PrintFlow.Geometry.Stl.FloatWelder(triangles);
            var sw = Stopwatch.StartNew();
            for (int done = 0; done < triangles; done += 5_000)
            {
                int batch = Math.Min(5_000, triangles - done);
                welder.AddRecords(bytes.AsSpan(84 + done * 50, batch * 50), batch, indices.AsSpan(done * 3, batch * 3));
            }
            if (i >= 3) adds.Add(sw.Elapsed.TotalMilliseconds);
            vertices = welder.Count;
            welder.Release();
        }
        adds.Sort();
        Console.WriteLine($"weld triangles={triangles} vertices={vertices} min_ms={adds[0]:F1} median_ms={adds[adds.Count / 2]:F1} " +
                          $"ns_per_corner={adds[0] * 1e6 / (3.0 * triangles):F2}");
        return 0;
    }
}
