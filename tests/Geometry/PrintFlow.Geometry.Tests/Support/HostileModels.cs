using System.IO.Compression;
using System.Text;

namespace PrintFlow.Geometry.Tests.Support;

/// <summary>Hostile model files as an attacker would write them; shared as source with the CLI and Pricing tests.</summary>
public static class HostileModels
{
    /// <summary>
    /// The reported 3MF: one 200,000-vertex object (a few triangles), placed 990 times by object 2, which object 3
    /// places 1,000 times: 990,000 copies, 1.98 × 10^11 vertices to place, in a package under 1 MB. Each count stays
    /// under its own cap (instances under 1,000,000, triangles under 20,000,000); only their product is absurd.
    /// </summary>
    public static byte[] MillionCopiesThreeMf(int vertices = 200_000, int inner = 990, int outer = 1_000)
    {
        var sb = new StringBuilder(vertices * 32);
        sb.Append("<object id=\"1\" type=\"model\"><mesh><vertices>");
        for (int i = 0; i < vertices; i++)
            sb.Append("<vertex x=\"").Append(i % 500).Append("\" y=\"").Append(i / 500).Append("\" z=\"0\"/>");
        sb.Append("</vertices><triangles>");
        for (int i = 0; i < 20; i++) sb.Append("<triangle v1=\"").Append(i).Append("\" v2=\"").Append(i + 1).Append("\" v3=\"").Append(i + 501).Append("\"/>");
        sb.Append("</triangles></mesh></object>");
        sb.Append("<object id=\"2\" type=\"model\"><components>");
        for (int i = 0; i < inner; i++) sb.Append("<component objectid=\"1\"/>");
        sb.Append("</components></object><object id=\"3\" type=\"model\"><components>");
        for (int i = 0; i < outer; i++) sb.Append("<component objectid=\"2\"/>");
        sb.Append("</components></object>");
        return ThreeMf([("3D/3dmodel.model", Encoding.UTF8.GetBytes(ModelFiles.ThreeMfModelXml(sb.ToString(), "<item objectid=\"3\"/>")))]);
    }

    /// <summary>
    /// An honest but heavy 3MF: 30,000 cubes side by side (360,000 triangles) from two levels of components, in a few
    /// KB. Well within every size limit; reading and analysing it takes far more than a millisecond, which deadline
    /// tests rely on.
    /// </summary>
    public static byte[] ManyCubesThreeMf()
    {
        var resources = ModelFiles.ThreeMfMeshObject(1, Shapes.Cube(1))
            + $"<object id=\"2\"><components>{string.Concat(Enumerable.Range(0, 100).Select(i => $"<component objectid=\"1\" transform=\"1 0 0 0 1 0 0 0 1 {2 * i} 0 0\"/>"))}</components></object>"
            + $"<object id=\"3\"><components>{string.Concat(Enumerable.Range(0, 300).Select(i => $"<component objectid=\"2\" transform=\"1 0 0 0 1 0 0 0 1 0 {2 * i} 0\"/>"))}</components></object>";
        return ModelFiles.ThreeMf(ModelFiles.ThreeMfModelXml(resources, "<item objectid=\"3\"/>"));
    }

    public const string Rels = """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>""";

    /// <summary>A package of exactly these entries, in this order, plus the root relationship unless <paramref name="rels"/> is null.</summary>
    public static byte[] ThreeMf(IEnumerable<(string Name, byte[] Content)> entries, string? rels = Rels,
        CompressionLevel level = CompressionLevel.SmallestSize)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (rels is not null) Add(zip, "_rels/.rels", Encoding.UTF8.GetBytes(rels), level);
            foreach (var (name, content) in entries) Add(zip, name, content, level);
        }
        return memory.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        var entry = zip.CreateEntry(name, level);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
