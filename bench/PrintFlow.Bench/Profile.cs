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
            var box = MeshAnalyzer.Bounds(mesh.Positions);
            Add("bounds");
            using (new EdgeTopology(mesh.IndexArray, mesh.Indices.Length, mesh.VertexCount, withPartner: false, parallel: false)) { }
            Add("edges");
            GeometryPass.Run(mesh.Positions, mesh.Indices, box, null, 45);
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

internal static class WeldProfile
{
    public static int Run(string file)
    {
        var bytes = File.ReadAllBytes(file);
        int triangles = (bytes.Length - 84) / 50;
        var indices = new int[triangles * 3];
        var proc = Process.GetCurrentProcess();
        var adds = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            proc.Refresh();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var welder = new PrintFlow.Geometry.Stl.FloatWelder(triangles);
            double ctor = sw.Elapsed.TotalMilliseconds; sw.Restart();
            for (int done = 0; done < triangles; done += 40_000)
            {
                int batch = Math.Min(40_000, triangles - done);
                welder.AddRecords(bytes.AsSpan(84 + done * 50, batch * 50), batch, indices.AsSpan(done * 3, batch * 3));
            }
            double add = sw.Elapsed.TotalMilliseconds; sw.Restart();
            proc.Refresh();
            adds.Add((proc.TotalProcessorTime - c0).TotalMilliseconds);
            welder.ToDoubles(1.0);
            double doubles = sw.Elapsed.TotalMilliseconds;
            Console.WriteLine($"ctor={ctor:F1} add={add:F1} toDoubles={doubles:F1} vertices={welder.Count}");
        }
        adds.Sort();
        Console.WriteLine($"weld cpu min={adds[0]:F1} median={adds[adds.Count / 2]:F1}");
        return 0;
    }
}
