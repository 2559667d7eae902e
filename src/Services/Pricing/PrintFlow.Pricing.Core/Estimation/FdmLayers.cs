using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// The FDM print layer by layer from the analysis' <see cref="LayerProfile"/>: walls along each band's outline, solid
/// skin under up-facing and over down-facing surfaces, infill in what is left, and the slicer's cooling floor on each
/// layer (docs/pricing-calibration.md, "The physical model").
/// </summary>
internal readonly record struct FdmLayers(
    double Seconds, double CoolingSeconds, double WallMm3, double SkinMm3, double InfillMm3, double SmallLayerShare)
{
    public static FdmLayers Print(LayerProfile profile, FdmProcessOptions f, int shells)
    {
        var h = f.LayerHeightMm;
        var bands = UsableBands(profile);
        var band = double.IsFinite(profile.BandMm) && profile.BandMm > 0 ? profile.BandMm : h;
        var lw = f.LineWidthMm;
        // Neighbouring lines overlap: a line's section is a stadium (lw − h) × h + π h² / 4, so lines lie this far apart.
        var spacing = lw - h * (1 - Math.PI / 4);
        var layersPerBand = band / h;
        // A surface gets solid layers within TopLayers × h below it (BottomLayers × h above a down-facing one): a
        // window of whole bands, scaled when the window is thicker than the skin.
        var (topBands, topShare) = Window(f.TopLayers * h, band);
        var (bottomBands, bottomShare) = Window(f.BottomLayers * h, band);
        var up = SlopedSkin(profile.UpMm2, profile.UpRiseMm2, f.TopLayers * h, f.SlopedSkinMinWidthMm, bands);
        var down = SlopedSkin(profile.DownMm2, profile.DownRiseMm2, f.BottomLayers * h, f.SlopedSkinMinWidthMm, bands);
        var floorPath = f.MinLayerTimeSeconds * f.MinPrintSpeedMmPerS;
        double seconds = 0, cooling = 0, wallMm3 = 0, skinMm3 = 0, infillMm3 = 0;
        var smallBands = 0;
        for (var k = 0; k < bands; k++)
        {
            var area = Math.Max(profile.AreaMm2[k], 0);
            var outline = Math.Max(profile.OutlineMm[k], 0);
            var wall = Math.Min(area, outline * f.Perimeters * spacing);
            double surfaces = 0;
            for (var j = k; j < Math.Min(bands, k + topBands); j++) surfaces += Math.Max(up[j], 0) * topShare;
            for (var j = Math.Max(0, k - bottomBands + 1); j <= k; j++) surfaces += Math.Max(down[j], 0) * bottomShare;
            var skin = Math.Min(area - wall, surfaces);
            var interior = area - wall - skin;
            if ((area - wall) / Math.Max(shells, 1) < f.SolidInfillBelowAreaMm2) { skin += interior; interior = 0; }

            // The band's mean width 2A / outline: narrow layers get denser, slower gap fill and short infill lines.
            var width = outline > 0 ? 2 * area / outline : double.PositiveInfinity;
            var narrowness = Math.Clamp((f.NarrowInteriorFromWallMm - width) / (f.NarrowInteriorFromWallMm - f.NarrowInteriorFullWallMm), 0, 1);
            var density = f.InfillFraction + (f.NarrowInteriorDensity - f.InfillFraction) * narrowness;
            var infillSpeed = f.InfillSpeedMmPerS + (f.NarrowInteriorSpeedMmPerS - f.InfillSpeedMmPerS) * narrowness;
            // Anchors joining the infill lines along the inner perimeter: wide interiors only (narrow ones are gap fill).
            var anchors = interior > 0 ? f.InfillAnchorShare * (1 - narrowness) * outline * interior / (area - wall) * spacing : 0;
            var infill = interior * density + anchors;

            var outer = Math.Min(wall, outline * spacing);
            var moving = outer / spacing / f.ExternalPerimeterSpeedMmPerS + (wall - outer) / spacing / f.PerimeterSpeedMmPerS;
            if (outline > 0)
            {
                var line = Math.Max(width - 2 * f.Perimeters * lw, lw);
                moving += skin / spacing / line * LineSeconds(line, f.SkinSpeedMmPerS, f.InfillAccelerationMmPerS2)
                          + infill / spacing / line * LineSeconds(line, infillSpeed, f.InfillAccelerationMmPerS2);
            }
            var layer = moving + f.PerLayerOverheadSeconds;
            // The slicer stretches a short layer's extrusion to the minimum layer time, never below min_print_speed.
            var path = (wall + skin + infill) / spacing;
            var held = Math.Max(layer, f.PerLayerOverheadSeconds + Math.Min(f.MinLayerTimeSeconds, path / f.MinPrintSpeedMmPerS));
            seconds += layersPerBand * held;
            cooling += layersPerBand * (held - layer);
            if (path < floorPath) smallBands++;
            wallMm3 += layersPerBand * h * wall;
            skinMm3 += layersPerBand * h * skin;
            infillMm3 += layersPerBand * h * infill;
        }
        return new FdmLayers(seconds, cooling, wallMm3, skinMm3, infillMm3, bands > 0 ? (double)smallBands / bands : 0);
    }

    /// <summary>A profile read back from the analysis cache is trusted no further than its shortest list.</summary>
    internal static int UsableBands(LayerProfile p) =>
        Math.Min(Math.Min(Math.Min(p.AreaMm2.Count, p.OutlineMm.Count), Math.Min(p.UpMm2.Count, p.DownMm2.Count)),
            Math.Min(p.OutlineSegments.Count, p.OverhangMm2.Count));

    /// <summary>
    /// The surface that gets skin: a band's sloped surface (projection / rise = 1 / tan θ) whose skin ring over
    /// <paramref name="shellMm"/> of solid layers (shell / tan θ wide) is under <paramref name="minWidthMm"/> is left to
    /// the perimeters, as PrusaSlicer does under steep slopes; flats and shallow slopes keep theirs.
    /// </summary>
    internal static IReadOnlyList<double> SlopedSkin(IReadOnlyList<double> surface, IReadOnlyList<double>? rise, double shellMm, double minWidthMm, int bands)
    {
        if (rise is null || rise.Count < bands || minWidthMm <= 0) return surface;
        var kept = new double[bands];
        for (var k = 0; k < bands; k++)
            kept[k] = rise[k] > 0 && shellMm * surface[k] < minWidthMm * rise[k] ? 0 : surface[k];
        return kept;
    }

    private static (int Bands, double Share) Window(double thicknessMm, double bandMm)
    {
        if (thicknessMm <= 0) return (0, 0);
        var bands = Math.Max(1, (int)Math.Ceiling(thicknessMm / bandMm - 1e-9));
        return (bands, Math.Min(1, thicknessMm / (bands * bandMm)));
    }

    /// <summary>One straight line at cruise speed <paramref name="v"/>, accelerating and braking at <paramref name="a"/>.</summary>
    internal static double LineSeconds(double length, double v, double a) =>
        length >= v * v / a ? length / v + v / a : 2 * Math.Sqrt(length / a);

    /// <summary>
    /// A prism with the analysis' volume, walls and flats, for an analysis without a profile (built by hand, or a mesh
    /// whose faces span more bands than the analysis budget): one band per layer, the flats on the first and last.
    /// </summary>
    public static LayerProfile Prism(double volume, double side, double flat, double height, double layerHeight)
    {
        var bands = Math.Clamp((int)Math.Ceiling(height / Math.Max(layerHeight, LayerProfile.MinBandMm) - 1e-9), 1, LayerProfile.MaxBands);
        var band = height / bands;
        var area = new double[bands];
        var outline = new double[bands];
        var segments = new int[bands];
        var up = new double[bands];
        var down = new double[bands];
        Array.Fill(area, volume / height);
        Array.Fill(outline, side / height);
        Array.Fill(segments, 1);
        up[^1] += flat / 2;
        down[0] += flat / 2;
        return new LayerProfile(band, area, outline, segments, up, down, new double[bands]);
    }
}
