using System.Text.Encodings.Web;
using System.Text.Json;
using PrintFlow.Geometry;

namespace PrintFlow.Cli;

/// <summary>
/// Writes the report with Utf8JsonWriter: no reflection and no serializer metadata to build, which keeps
/// the process start-up close to native tools such as admesh.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        // Descriptions contain "×" and "³"; keep them readable instead of \u-escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteReport(TextWriter output, QuoteReport r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            var a = r.Analysis;
            w.WriteStartObject();
            w.WriteString("file", r.Arguments.File);
            w.WriteString("format", FormatName(a.Format));
            w.WriteString("material", r.Arguments.Material);
            w.WriteNumber("quantity", r.Arguments.Quantity);
            w.WriteString("lead_time", r.Arguments.LeadTime.ToLowerInvariant());
            w.WriteNumber("triangles", a.Triangles);
            w.WriteNumber("volume_mm3", Round(a.OrientationConsistent ? a.VolumeMm3 : a.VolumeAfterOrientationFixMm3));
            w.WriteNumber("area_mm2", Round(a.AreaMm2));
            // What the FDM estimate is built from (docs/pricing-calibration.md): walls, flat skins, first layer.
            w.WriteNumber("side_area_mm2", Round(a.SideAreaMm2));
            w.WriteNumber("flat_area_mm2", Round(a.FlatAreaMm2));
            w.WriteNumber("bed_contact_area_mm2", Round(a.BedContactAreaMm2));
            w.WriteStartObject("bbox_mm");
            WriteVector(w, "min", a.BoundingBoxMm.Min);
            WriteVector(w, "max", a.BoundingBoxMm.Max);
            w.WriteEndObject();
            w.WriteNumber("shells", a.Shells);
            w.WriteBoolean("watertight", a.Watertight);
            w.WriteNumber("non_manifold_edges", a.NonManifoldEdges);
            w.WriteBoolean("orientation_consistent", a.OrientationConsistent);
            w.WriteNumber("degenerate_triangles", a.DegenerateTriangles);
            w.WriteNumber("overhang_area_mm2", Round(a.OverhangAreaMm2));
            w.WriteNumber("support_volume_mm3", Round(a.SupportVolumeMm3));
            w.WriteBoolean("fits_build_volume", r.FitsBuildVolume);
            if (r.Item is { } item)
            {
                w.WriteNumber("print_time_h", Round(item.Estimate.PrintHours));
                w.WriteNumber("machine_time_h", Round(item.Estimate.MachineHours));
                w.WriteNumber("material_g", Round(item.Estimate.MaterialGrams));
            }
            else
            {
                w.WriteNull("print_time_h");
                w.WriteNull("machine_time_h");
                w.WriteNull("material_g");
            }
            if (r.Quote is { } quote)
            {
                w.WriteStartObject("price");
                w.WriteNumber("amount", quote.Total);
                w.WriteString("currency", quote.Currency);
                w.WriteString("valid_until", quote.ValidUntil);
                w.WriteStartArray("lines");
                foreach (var line in quote.Lines)
                {
                    w.WriteStartObject();
                    w.WriteString("description", line.Description);
                    w.WriteNumber("amount", line.Amount);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteString("mode", quote.Mode);
            }
            else
            {
                w.WriteNull("price");
                w.WriteString("mode", r.Arguments.Exact ? "exact" : "estimate");
            }
            if (r.Rejection is { } rejection)
            {
                w.WriteStartObject("rejection");
                w.WriteString("code", rejection.Code);
                w.WriteString("message", rejection.Reason);
                w.WriteEndObject();
            }
            w.WriteStartArray("warnings");
            foreach (var warning in r.Warnings)
            {
                w.WriteStartObject();
                w.WriteString("code", warning.Code);
                w.WriteString("message", warning.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        WriteUtf8(output, buffer);
    }

    public static void WriteError(TextWriter output, string code, string message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        WriteUtf8(output, buffer);
    }

    private static void WriteVector(Utf8JsonWriter w, string name, Vector3d v)
    {
        w.WriteStartArray(name);
        w.WriteNumberValue(Round(v.X));
        w.WriteNumberValue(Round(v.Y));
        w.WriteNumberValue(Round(v.Z));
        w.WriteEndArray();
    }

    private static string FormatName(ModelFormat f) => f switch
    {
        ModelFormat.StlBinary => "stl-binary",
        ModelFormat.StlAscii => "stl-ascii",
        ModelFormat.Obj => "obj",
        _ => "3mf",
    };

    // Six decimals hide float noise (7999.999999998 → 8000) while keeping sub-micron precision.
    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;

    private static void WriteUtf8(TextWriter output, MemoryStream buffer)
    {
        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Flush();
    }
}
