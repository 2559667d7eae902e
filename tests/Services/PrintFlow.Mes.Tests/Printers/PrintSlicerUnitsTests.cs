using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.ModelStorage;
using PrintFlow.Slicing;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests.Printers;

/// <summary>
/// The customer's units reach the printer: the only unit an order's model carries is the one its 3MF declares (Shop and
/// Partners take no unit, STL has none and means millimetres), and MES reads the stored file with the same reader as
/// Pricing, so the slicer gets millimetres.
/// </summary>
public sealed class PrintSlicerUnitsTests : IDisposable
{
    private readonly PrintFlowHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    [Trait("Category", "Tools")]
    public async Task SliceAsync_WhenThe3mfIsInCentimetres_PrintsItAsLargeAsTenTimesTheNumbersInMillimetres()
    {
        var printer = Printer.Add(new PrinterSpec("Units-1", "FDM", "Prusa MK4", "", 250, 210, 220, 0.4, "PLA", null),
            new Uri("http://192.168.1.20/"), "unused", "…", DateTimeOffset.UtcNow);

        var threeMillimetres = await ExtentsAsync(printer, Cube3mf(edge: 3, unit: "millimeter"));
        var threeCentimetres = await ExtentsAsync(printer, Cube3mf(edge: 3, unit: "centimeter"));
        var thirtyMillimetres = await ExtentsAsync(printer, Cube3mf(edge: 30, unit: "millimeter"));

        // 3 cm prints exactly as 30 mm does (skirt included), and 27 mm wider than 3 mm (less a small skirt's extra loops).
        Assert.Equal(thirtyMillimetres.MaxX - thirtyMillimetres.MinX, threeCentimetres.MaxX - threeCentimetres.MinX, 0.05);
        Assert.Equal(thirtyMillimetres.MaxY - thirtyMillimetres.MinY, threeCentimetres.MaxY - threeCentimetres.MinY, 0.05);
        Assert.InRange((threeCentimetres.MaxX - threeCentimetres.MinX) - (threeMillimetres.MaxX - threeMillimetres.MinX), 20, 27.5);
    }

    private async Task<GcodeExtents> ExtentsAsync(Printer printer, byte[] model)
    {
        var sliced = await _host.InScopeAsync(async sp =>
        {
            using var content = new MemoryStream(model);
            var stored = await sp.GetRequiredService<IModelStore>().SaveAsync(content, CancellationToken.None);
            var item = new JobItem(Guid.NewGuid(), "cube.3mf", "PLA", 1, stored.Sha256, model.Length);
            return await sp.GetRequiredService<PrintSlicer>().SliceAsync(printer, [item], CancellationToken.None);
        });
        return GcodeExtents.ReadFile(sliced.Path) ?? throw new InvalidOperationException("The G-code extrudes nothing.");
    }

    /// <summary>A 3MF package holding one cube of <paramref name="edge"/> units, in the unit it declares.</summary>
    private static byte[] Cube3mf(double edge, string unit)
    {
        var e = edge.ToString(CultureInfo.InvariantCulture);
        var vertices = new StringBuilder();
        foreach (var (x, y, z) in new[] { ("0", "0", "0"), (e, "0", "0"), (e, e, "0"), ("0", e, "0"), ("0", "0", e), (e, "0", e), (e, e, e), ("0", e, e) })
        {
            vertices.Append(CultureInfo.InvariantCulture, $"<vertex x=\"{x}\" y=\"{y}\" z=\"{z}\"/>");
        }

        int[][] faces = [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]];
        var triangles = string.Concat(faces.Select(f => $"<triangle v1=\"{f[0]}\" v2=\"{f[1]}\" v3=\"{f[2]}\"/>"));
        var model = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <model unit="{unit}" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">
            <resources><object id="1" type="model"><mesh><vertices>{vertices}</vertices><triangles>{triangles}</triangles></mesh></object></resources>
            <build><item objectid="1"/></build>
            </model>
            """;
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
            Add(zip, "3D/3dmodel.model", model);
        }

        return memory.ToArray();
    }

    private static void Add(ZipArchive zip, string path, string content)
    {
        using var stream = zip.CreateEntry(path).Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
