using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.ModelStorage;
using PrintFlow.Slicing;
using PrintFlow.Testing;
using PrintFlow.Testing.Models;

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

        var threeMillimetres = await ExtentsAsync(printer, ThreeMfPackage.Cube(edge: 3, unit: "millimeter"));
        var threeCentimetres = await ExtentsAsync(printer, ThreeMfPackage.Cube(edge: 3, unit: "centimeter"));
        var thirtyMillimetres = await ExtentsAsync(printer, ThreeMfPackage.Cube(edge: 30, unit: "millimeter"));

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
}
