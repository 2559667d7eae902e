using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace PrintFlow.Testing.Models;

/// <summary>3MF packages as exporters write them: the standard content types, the root relationship and the model part.</summary>
public static class ThreeMfPackage
{
    /// <summary>A package holding <paramref name="modelXml"/> as its model, and the given extra parts.</summary>
    public static byte[] Zip(string modelXml, params (string Path, string Xml)[] extraParts)
    {
        ArgumentNullException.ThrowIfNull(extraParts);
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", """
                <?xml version="1.0" encoding="UTF-8"?>
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
                <Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/>
                </Types>
                """);
            Add(zip, "_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
                <Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/>
                </Relationships>
                """);
            Add(zip, "3D/3dmodel.model", modelXml);
            foreach (var (path, xml) in extraParts)
            {
                Add(zip, path, xml);
            }
        }

        return memory.ToArray();
    }

    /// <summary>The model part: its resources and build items, in <paramref name="unit"/>.</summary>
    public static string ModelXml(string resources, string build, string unit = "millimeter") =>
        $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <model unit="{unit}" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02" xmlns:p="http://schemas.microsoft.com/3dmanufacturing/production/2015/06">
        <resources>{resources}</resources>
        <build>{build}</build>
        </model>
        """;

    /// <summary>A package holding one cube of <paramref name="edge"/> units at the origin, in the unit it declares.</summary>
    public static byte[] Cube(double edge, string unit = "millimeter")
    {
        var e = edge.ToString(CultureInfo.InvariantCulture);
        var mesh = new StringBuilder("<object id=\"1\" type=\"model\"><mesh><vertices>");
        foreach (var (x, y, z) in new[] { ("0", "0", "0"), (e, "0", "0"), (e, e, "0"), ("0", e, "0"), ("0", "0", e), (e, "0", e), (e, e, e), ("0", e, e) })
        {
            mesh.Append(CultureInfo.InvariantCulture, $"<vertex x=\"{x}\" y=\"{y}\" z=\"{z}\"/>");
        }

        mesh.Append("</vertices><triangles>");
        int[][] faces = [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]];
        foreach (var f in faces)
        {
            mesh.Append(CultureInfo.InvariantCulture, $"<triangle v1=\"{f[0]}\" v2=\"{f[1]}\" v3=\"{f[2]}\"/>");
        }

        mesh.Append("</triangles></mesh></object>");
        return Zip(ModelXml(mesh.ToString(), "<item objectid=\"1\"/>", unit));
    }

    private static void Add(ZipArchive zip, string path, string content)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
