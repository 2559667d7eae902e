// Reads "name stl ref" lines (bench/calibration/references.sh) on stdin and writes one tab-separated row per part:
// the slicer's reference, the physical model, the corrected estimate, the milliseconds to analyse and estimate the
// file (median of 3 runs, after one warm-up), and the correction's features. bench/calibration/fit.py reads it.
using System.Diagnostics;
using System.Globalization;
using PrintFlow.Geometry;
using PrintFlow.Pricing.Core;

var options = PricingOptions.Default;
var material = options.Materials["PLA"];
var printer = options.Printers[material.Printer];
var build = printer.BuildVolumeMm;
// The analysis every quote path runs (landed support on by default); its measures go to the table for bench/calibration/fit.py.
var analyse = new AnalysisOptions { BuildVolumeMm = new Vector3d(build.X, build.Y, build.Z), MaxDegreeOfParallelism = 1 };
var read = new ReadOptions { MaxDegreeOfParallelism = 1 };
var inv = CultureInfo.InvariantCulture;
// Optional: each part's layer profile as JSON in this folder, for trying per-layer models without a rebuild.
var profiles = Environment.GetEnvironmentVariable("PRINTFLOW_CALIBRATION_PROFILES");

// Raw analysis figures sit before "ms" (fit.py reads the features after it): for trying new features without a rebuild.
string[] raw = ["volume_mm3", "x_mm", "y_mm", "height_mm", "area_mm2", "side_mm2", "flat_mm2", "bed_mm2", "overhang_mm2", "support_columns_mm3", "shells", "printed_support_mm3",
    "ref_support_mm3", "sup_columns_mm3", "sup_contact_mm2", "sup_part_mm2", "sup_bed_mm2", "sup_side_mm2", "sup_bridged_mm2", "phys_part_g"];
Console.WriteLine(string.Join('\t', new[] { "name", "ref_s", "ref_g", "phys_s", "phys_g", "est_s", "est_g" }.Concat(raw).Append("ms").Concat(FdmCorrection.FeatureNames)));
var warmed = false;
while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (parts.Length != 3) continue;
    var reference = File.ReadAllText(parts[2]).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    if (reference.Length != 2) continue; // the slicer refused this part; references.sh said why
    if (!warmed) { Quote(parts[1]); warmed = true; }
    var times = new double[3];
    PrintEstimate estimate = null!;
    MeshAnalysis analysis = null!;
    for (var i = 0; i < times.Length; i++)
    {
        var clock = Stopwatch.StartNew();
        (analysis, estimate) = Quote(parts[1]);
        times[i] = clock.Elapsed.TotalMilliseconds;
    }
    Array.Sort(times);
    var physics = PrintEstimator.FdmPhysics(analysis, material, printer.Fdm!);
    if (!string.IsNullOrEmpty(profiles) && analysis.Profile is { } profile)
        File.WriteAllText(Path.Combine(profiles, parts[0] + ".json"), System.Text.Json.JsonSerializer.Serialize(profile));
    var landed = analysis.Profile?.Support;
    var row = new List<string> { parts[0], reference[0], reference[1] };
    row.AddRange(new[] { physics.PrintSeconds, physics.Grams, estimate.PrintHours * 3600, estimate.MaterialGrams }.Select(v => v.ToString("R", inv)));
    row.AddRange(new[]
    {
        PrintEstimator.PartVolumeMm3(analysis), analysis.BoundingBoxMm.Size.X, analysis.BoundingBoxMm.Size.Y, analysis.BoundingBoxMm.Size.Z, analysis.AreaMm2, analysis.SideAreaMm2, analysis.FlatAreaMm2,
        analysis.BedContactAreaMm2, analysis.OverhangAreaMm2, analysis.SupportVolumeMm3, analysis.Shells, physics.SupportMm3,
        ReferenceSupportMm3(parts[2]), landed?.ColumnsMm3 ?? -1, landed?.ContactMm2 ?? -1, landed?.PartLandingMm2 ?? -1,
        landed?.BedLandingMm2 ?? -1, landed?.SideMm2 ?? -1, landed?.BridgedMm2 ?? -1, physics.Grams - physics.SupportMm3 / 1000 * material.DensityGPerCm3, times[1],
    }.Select(v => v.ToString("R", inv)));
    row.AddRange(physics.Features.Select(v => v.ToString("R", inv)));
    Console.WriteLine(string.Join('\t', row));
}

// The slicer's support (bench/calibration/gcode_stats.py's breakdown beside the reference), -1 when not there.
static double ReferenceSupportMm3(string referencePath)
{
    var stats = Path.ChangeExtension(referencePath, ".json");
    if (!File.Exists(stats)) return -1;
    using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(stats));
    return json.RootElement.GetProperty("roles").EnumerateObject()
        .Where(r => r.Name.Contains("upport", StringComparison.Ordinal)).Sum(r => r.Value.GetProperty("mm3").GetDouble());
}

(MeshAnalysis, PrintEstimate) Quote(string path)
{
    var a = ModelAnalysis.AnalyzeFile(path, read, analyse);
    return (a, PrintEstimator.Estimate(a, material, printer));
}
