using System.Globalization;
using System.Text;
using PrintFlow.Geometry;
using PrintFlow.Testing.Models;

namespace PrintFlow.Geometry.Tests.Support;

/// <summary>Writes real model files (as exporters do) from triangle lists, so tests exercise the actual readers.</summary>
public static class ModelFiles
{
    public static byte[] BinaryStl(IReadOnlyList<Tri> tris, string header = "PrintFlow test binary STL")
    {
        var bytes = new byte[84 + 50 * tris.Count];
        var h = Encoding.ASCII.GetBytes(header);
        Array.Copy(h, bytes, Math.Min(80, h.Length));
        BitConverter.TryWriteBytes(bytes.AsSpan(80), (uint)tris.Count);
        for (int i = 0; i < tris.Count; i++)
        {
            var span = bytes.AsSpan(84 + 50 * i);
            var t = tris[i];
            var n = Normal(t);
            float[] values = [(float)n.X, (float)n.Y, (float)n.Z,
                (float)t.A.X, (float)t.A.Y, (float)t.A.Z, (float)t.B.X, (float)t.B.Y, (float)t.B.Z,
                (float)t.C.X, (float)t.C.Y, (float)t.C.Z];
            for (int k = 0; k < 12; k++) BitConverter.TryWriteBytes(span[(4 * k)..], values[k]);
        }
        return bytes;
    }

    public static string AsciiStl(IEnumerable<Tri> tris, string name = "part")
    {
        var sb = new StringBuilder();
        sb.Append("solid ").Append(name).Append('\n');
        foreach (var t in tris)
        {
            var n = Normal(t);
            sb.Append(CultureInfo.InvariantCulture, $"  facet normal {n.X:R} {n.Y:R} {n.Z:R}\n    outer loop\n");
            foreach (var v in new[] { t.A, t.B, t.C })
                sb.Append(CultureInfo.InvariantCulture, $"      vertex {v.X:R} {v.Y:R} {v.Z:R}\n");
            sb.Append("    endloop\n  endfacet\n");
        }
        sb.Append("endsolid ").Append(name).Append('\n');
        return sb.ToString();
    }

    /// <summary>Indexed OBJ: shared vertices written once, faces as "f a b c".</summary>
    public static string Obj(IEnumerable<Tri> tris)
    {
        var (vertices, faces) = Index(tris);
        var sb = new StringBuilder("# PrintFlow test OBJ\no part\n");
        foreach (var v in vertices) sb.Append(CultureInfo.InvariantCulture, $"v {v.X:R} {v.Y:R} {v.Z:R}\n");
        foreach (var (a, b, c) in faces) sb.Append(CultureInfo.InvariantCulture, $"f {a + 1} {b + 1} {c + 1}\n");
        return sb.ToString();
    }

    public static (List<Vector3d> Vertices, List<(int, int, int)> Faces) Index(IEnumerable<Tri> tris)
    {
        var map = new Dictionary<Vector3d, int>();
        var vertices = new List<Vector3d>();
        var faces = new List<(int, int, int)>();
        int Id(Vector3d v)
        {
            if (!map.TryGetValue(v, out int i)) { i = vertices.Count; map[v] = i; vertices.Add(v); }
            return i;
        }
        foreach (var t in tris) faces.Add((Id(t.A), Id(t.B), Id(t.C)));
        return (vertices, faces);
    }

    /// <summary>The &lt;object&gt; element of a 3MF mesh.</summary>
    public static string ThreeMfMeshObject(int id, IEnumerable<Tri> tris)
    {
        var (vertices, faces) = Index(tris);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<object id=\"{id}\" type=\"model\"><mesh><vertices>");
        foreach (var v in vertices) sb.Append(CultureInfo.InvariantCulture, $"<vertex x=\"{v.X:R}\" y=\"{v.Y:R}\" z=\"{v.Z:R}\"/>");
        sb.Append("</vertices><triangles>");
        foreach (var (a, b, c) in faces) sb.Append(CultureInfo.InvariantCulture, $"<triangle v1=\"{a}\" v2=\"{b}\" v3=\"{c}\"/>");
        sb.Append("</triangles></mesh></object>");
        return sb.ToString();
    }

    public static string ThreeMfModelXml(string resources, string build, string unit = "millimeter") =>
        ThreeMfPackage.ModelXml(resources, build, unit);

    /// <summary>A 3MF package with the standard content types, root relationship and the given parts.</summary>
    public static byte[] ThreeMf(string modelXml, params (string Path, string Xml)[] extraParts) => ThreeMfPackage.Zip(modelXml, extraParts);

    public static List<Tri> RoundedToFloat(IEnumerable<Tri> tris) =>
        tris.Select(t => new Tri(F(t.A), F(t.B), F(t.C))).ToList();

    private static Vector3d F(Vector3d v) => new((float)v.X, (float)v.Y, (float)v.Z);

    private static Vector3d Normal(Tri t)
    {
        double ux = t.B.X - t.A.X, uy = t.B.Y - t.A.Y, uz = t.B.Z - t.A.Z;
        double vx = t.C.X - t.A.X, vy = t.C.Y - t.A.Y, vz = t.C.Z - t.A.Z;
        double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
        double l = Math.Sqrt(nx * nx + ny * ny + nz * nz);
        return l == 0 ? default : new(nx / l, ny / l, nz / l);
    }
}

/// <summary>A temporary directory deleted after the test; files are real files on disk.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("printflow-geometry-").FullName;

    public string Write(string name, byte[] content)
    {
        string file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, content);
        return file;
    }

    public string Write(string name, string content) => Write(name, Encoding.UTF8.GetBytes(content));

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
