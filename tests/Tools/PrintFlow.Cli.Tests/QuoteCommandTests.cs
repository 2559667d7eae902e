using System.Text.Json;

namespace PrintFlow.Cli.Tests;

public class QuoteCommandTests
{
    private static decimal Amount(JsonElement e) => e.GetProperty("amount").GetDecimal();

    [Fact]
    public async Task Quote_WhenCube20mmAsJson_ReportsExactGeometryAndAPrice()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), "--json");

        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        Assert.Equal(12, j.GetProperty("triangles").GetInt64());
        Assert.Equal(8000, j.GetProperty("volume_mm3").GetDouble());
        Assert.Equal(2400, j.GetProperty("area_mm2").GetDouble());
        Assert.Equal([0.0, 0, 0], j.GetProperty("bbox_mm").GetProperty("min").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([20.0, 20, 20], j.GetProperty("bbox_mm").GetProperty("max").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(1, j.GetProperty("shells").GetInt32());
        Assert.True(j.GetProperty("watertight").GetBoolean());
        Assert.Equal(0, j.GetProperty("non_manifold_edges").GetInt64());
        Assert.True(j.GetProperty("orientation_consistent").GetBoolean());
        Assert.Equal(0, j.GetProperty("overhang_area_mm2").GetDouble());
        Assert.Equal(0, j.GetProperty("support_volume_mm3").GetDouble());
        Assert.True(j.GetProperty("fits_build_volume").GetBoolean());
        Assert.InRange(j.GetProperty("print_time_h").GetDouble(), 0.4, 0.6);
        Assert.InRange(j.GetProperty("material_g").GetDouble(), 3.7, 4.6);
        Assert.Equal("estimate", j.GetProperty("mode").GetString());
        Assert.Equal(0, j.GetProperty("warnings").GetArrayLength());
        var price = j.GetProperty("price");
        Assert.Equal("EUR", price.GetProperty("currency").GetString());
        Assert.Equal(Amount(price), price.GetProperty("lines").EnumerateArray().Sum(Amount));
        Assert.All(price.GetProperty("lines").EnumerateArray(), l => Assert.False(string.IsNullOrWhiteSpace(l.GetProperty("description").GetString())));
    }

    [Fact]
    public async Task Quote_WhenQuantityAndExpress_AddsDiscountAndSurchargeLines()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("l-bracket.stl"), "--quantity", "50", "--lead-time", "express", "--material", "petg", "--json");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Json().GetProperty("price").GetProperty("lines").EnumerateArray().ToList();
        Assert.Contains(lines, l => l.GetProperty("description").GetString()!.Contains("quantity discount 10 %") && Amount(l) < 0);
        Assert.Contains(lines, l => l.GetProperty("description").GetString()!.Contains("express lead time") && Amount(l) > 0);
        Assert.Contains(lines, l => l.GetProperty("description").GetString()!.Contains("PETG material"));
    }

    [Fact]
    public async Task Quote_WhenOverhangs_ReportsSupportAndChargesRemoval()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("mushroom-overhang.stl"), "--json");

        var j = run.Json();
        Assert.InRange(j.GetProperty("overhang_area_mm2").GetDouble(), 1100, 1200);
        Assert.True(j.GetProperty("support_volume_mm3").GetDouble() > 20000);
        Assert.Contains(j.GetProperty("price").GetProperty("lines").EnumerateArray(), l => l.GetProperty("description").GetString()!.Contains("support removal"));
    }

    [Fact]
    public async Task Quote_WhenWithoutJson_PrintsReadableTable()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Volume       8 cm³", run.Stdout);
        Assert.Contains("watertight", run.Stdout);
        Assert.Contains("Support      0 cm³ printed per part", run.Stdout); // a cube needs none
        Assert.Contains("Total EUR", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Quote_WhenUnitsMakeModelTooBig_ExitsOneWithRejection()
    {
        // The 80 mm block read as centimetres is 800 mm long: no printer takes it.
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("solid-block-80mm.stl"), "--units", "cm", "--json");

        Assert.Equal(1, run.ExitCode);
        var j = run.Json();
        Assert.Equal(800, j.GetProperty("bbox_mm").GetProperty("max")[0].GetDouble());
        Assert.False(j.GetProperty("fits_build_volume").GetBoolean());
        Assert.Equal(JsonValueKind.Null, j.GetProperty("price").ValueKind);
        Assert.Equal("model.too-big-for-printer", j.GetProperty("rejection").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Quote_WhenUnitsInches_ScalesTheModel()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), "--units", "in", "--material", "PLA", "--json");

        // 20 in = 508 mm: too big, but the analysis is in millimetres.
        Assert.Equal(508, run.Json().GetProperty("bbox_mm").GetProperty("max")[2].GetDouble(), 6);
    }

    [Trait("Category", "Tools")]
    [Fact]
    public async Task Quote_WhenExact_SlicesWithPrusaSlicerAndSaysExact()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), "--exact", "--json");

        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        Assert.Equal("exact", j.GetProperty("mode").GetString());
        // PrusaSlicer: 3.35 cm³ × 1.24 g/cm³ and 29 min 24 s (docs/pricing-calibration.md).
        Assert.Equal(3.35 * 1.24, j.GetProperty("material_g").GetDouble(), 2);
        Assert.Equal(29.4 / 60, j.GetProperty("print_time_h").GetDouble(), 2);
    }

    [Fact]
    public async Task Quote_WhenExactButSlicerMissing_ExitsTwoWithNotInstalled()
    {
        var run = await CliProcess.RunAsync(["quote", CliProcess.Model("cube-20mm.stl"), "--exact", "--json"],
            new Dictionary<string, string> { ["PRINTFLOW_PRUSA_SLICER"] = "/nonexistent/prusa-slicer" });

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("slicer.not-installed", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Quote_WhenExactWithResin_ExitsTwoWithUnsupportedTechnology()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), "--material", "Resin", "--exact", "--json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("slicer.unsupported-technology", run.Json().GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Quote_WhenResin_PricesBySlaEstimate()
    {
        var run = await CliProcess.RunAsync("quote", CliProcess.Model("cube-20mm.stl"), "--material", "resin", "--json");

        Assert.Equal(0, run.ExitCode);
        var j = run.Json();
        // 400 layers of 0.05 mm × 7 s + 180 s start.
        Assert.Equal((400 * 7.0 + 180) / 3600, j.GetProperty("print_time_h").GetDouble(), 4);
        Assert.Contains(j.GetProperty("price").GetProperty("lines").EnumerateArray(), l => l.GetProperty("description").GetString()!.Contains("Resin material"));
    }
}
