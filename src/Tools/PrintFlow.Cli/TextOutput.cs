using System.Globalization;

namespace PrintFlow.Cli;

/// <summary>The report as a table a person reads in a terminal.</summary>
internal static class TextOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteReport(TextWriter o, QuoteReport r)
    {
        var a = r.Analysis;
        var size = a.BoundingBoxMm.Size;
        o.WriteLine($"Model        {r.Arguments.File} ({a.Format}, {a.Triangles.ToString("N0", Inv)} triangles)");
        o.WriteLine(string.Create(Inv, $"Volume       {(a.OrientationConsistent ? a.VolumeMm3 : a.VolumeAfterOrientationFixMm3) / 1000:0.###} cm³"));
        o.WriteLine(string.Create(Inv, $"Surface      {a.AreaMm2 / 100:0.##} cm²"));
        o.WriteLine(string.Create(Inv, $"Size         {size.X:0.##} × {size.Y:0.##} × {size.Z:0.##} mm"));
        o.WriteLine($"Shells       {a.Shells}, {(a.Watertight ? "watertight" : "NOT watertight")}, {a.NonManifoldEdges} non-manifold edges, orientation {(a.OrientationConsistent ? "consistent" : "inconsistent")}");
        // The space under the overhangs, not what is printed there: the support line below says that.
        o.WriteLine(string.Create(Inv, $"Overhangs    {a.OverhangAreaMm2 / 100:0.##} cm², {a.SupportVolumeMm3 / 1000:0.##} cm³ of space under them"));
        o.WriteLine($"Fits printer {(r.FitsBuildVolume ? "yes" : "no")}");
        if (r.Item is { } item && r.Quote is { } quote)
        {
            o.WriteLine(string.Create(Inv, $"Material     {item.Estimate.MaterialGrams:0.##} g {item.Material} per part"));
            o.WriteLine(string.Create(Inv, $"Print time   {item.Estimate.PrintHours:0.##} h per part ({quote.Mode})"));
            o.WriteLine(string.Create(Inv, $"Support      {item.Estimate.SupportVolumeCm3:0.##} cm³ printed per part"));
            o.WriteLine();
            var width = Math.Max(40, quote.Lines.Max(l => l.Description.Length));
            foreach (var line in quote.Lines)
                o.WriteLine(string.Create(Inv, $"  {line.Description.PadRight(width)} {line.Amount,10:0.00}"));
            o.WriteLine("  " + new string('-', width + 11));
            o.WriteLine(string.Create(Inv, $"  {("Total " + quote.Currency).PadRight(width)} {quote.Total,10:0.00}"));
            o.WriteLine(string.Create(Inv, $"  Valid until {quote.ValidUntil:yyyy-MM-dd HH:mm} UTC"));
        }
        if (r.Rejection is { } rejection)
            o.WriteLine($"Cannot print {rejection.Reason} [{rejection.Code}]");
        foreach (var w in r.Warnings)
            o.WriteLine($"Warning      {w.Message} [{w.Code}]");
    }
}
