using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// Estimates material and print time from the mesh analysis alone, in microseconds, without slicing.
/// The model and its calibration against PrusaSlicer are described in docs/pricing-calibration.md.
/// </summary>
public static class PrintEstimator
{
    /// <param name="quality">Replaces the profile's layer height where it sets one; null keeps the profile.</param>
    public static PrintEstimate Estimate(MeshAnalysis mesh, MaterialOptions material, PrinterOptions printer, QualityOptions? quality = null)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(printer);
        return printer.Technology switch
        {
            PrintTechnology.Fdm => EstimateFdm(mesh, material, WithLayer(printer.Fdm ?? throw MissingProcess(printer), quality?.FdmLayerHeightMm)),
            _ => EstimateResin(mesh, material, WithLayer(printer.Resin ?? throw MissingProcess(printer), quality?.ResinLayerHeightMm)),
        };
    }

    private static FdmProcessOptions WithLayer(FdmProcessOptions f, double? layerHeightMm) =>
        layerHeightMm is { } height && height != f.LayerHeightMm ? f.WithLayerHeight(height) : f;

    private static ResinProcessOptions WithLayer(ResinProcessOptions r, double? layerHeightMm) =>
        layerHeightMm is { } height && height != r.LayerHeightMm ? r.WithLayerHeight(height) : r;

    /// <summary>Part volume; a mesh with flipped faces is measured after the analyser re-orients them.</summary>
    public static double PartVolumeMm3(MeshAnalysis mesh) =>
        Math.Abs(mesh.OrientationConsistent ? mesh.VolumeMm3 : mesh.VolumeAfterOrientationFixMm3);

    /// <summary>
    /// Support actually extruded: the analysed support columns are mostly air (a sparse pattern), plus dense
    /// interface layers under every overhang.
    /// </summary>
    public static double PrintedSupportMm3(MeshAnalysis mesh, FdmProcessOptions f) =>
        Math.Max(mesh.SupportVolumeMm3, 0) * f.SupportDensity + Math.Max(mesh.OverhangAreaMm2, 0) * f.SupportInterfaceThicknessMm;

    private static PrintEstimate EstimateFdm(MeshAnalysis mesh, MaterialOptions material, FdmProcessOptions f)
    {
        var physics = FdmPhysics(mesh, material, f);
        var (gramsFactor, timeFactor) = f.FittedCorrection ? FdmCorrection.Factors(physics.Features) : (1.0, 1.0);
        var printHours = physics.PrintSeconds * timeFactor / 3600;
        var (grams, supportMm3) = (physics.Grams * gramsFactor, physics.SupportMm3);
        if (f.FittedCorrection && LandedSupport(mesh, physics.Features) is var (partFactor, landed))
        {
            // Support is modelled on its own so it cannot pull the correction of parts that have none; time keeps the
            // analysis' support guess (docs/pricing-calibration.md, "Landed support columns").
            var partGrams = physics.Grams - physics.SupportMm3 / 1000 * material.DensityGPerCm3;
            (grams, supportMm3) = (partGrams * partFactor + landed / 1000 * material.DensityGPerCm3, landed);
        }
        return new PrintEstimate(grams, printHours, printHours + f.HeatUpMinutes / 60,
            supportMm3 / 1000, physics.Layers, PrintEstimate.EstimateMode);
    }

    /// <summary>
    /// The part-only grams factor and the printed support (mm³) from the landed columns; null (the single correction
    /// and the analysis' support guess apply) when the analysis has no grid: over its budget, cached without it, or built by hand.
    /// </summary>
    private static (double PartFactor, double SupportMm3)? LandedSupport(MeshAnalysis mesh, IReadOnlyList<double> features) =>
        mesh.Profile is { Support: { } support } profile && FdmLayers.UsableBands(profile) > 0
        && FdmCorrection.PartGramsFactor(features) is { } factor && FdmCorrection.LandedSupportMm3(support) is { } mm3
            ? (factor, mm3)
            : null;

    /// <summary>
    /// The physical model alone, before the fitted correction, with the features the correction reads; the
    /// calibration tool (bench/calibrate.sh) fits the correction on these.
    /// </summary>
    public static FdmPhysicsEstimate FdmPhysics(MeshAnalysis mesh, MaterialOptions material, FdmProcessOptions f)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(f);
        var volume = PartVolumeMm3(mesh);
        var area = Math.Max(mesh.AreaMm2, 0);
        var height = Math.Max(mesh.BoundingBoxMm.Size.Z, f.LayerHeightMm);
        var layers = (int)Math.Ceiling(height / f.LayerHeightMm - 1e-9);
        var (side, flat) = SideAndFlatArea(mesh, volume, area, height);
        var bed = Math.Max(mesh.BedContactAreaMm2, 0);

        var profile = mesh.Profile is { } measured && FdmLayers.UsableBands(measured) > 0 ? measured : FdmLayers.Prism(volume, side, flat, height, f.LayerHeightMm);
        var print = FdmLayers.Print(profile, f, mesh.Shells);
        var support = PrintedSupportMm3(mesh, f);

        // The skirt follows the footprint; its bounding rectangle, shrunk towards a circle's perimeter, stands in for it.
        var size = mesh.BoundingBoxMm.Size;
        var skirt = f.SkirtLoops * (0.9 * 2 * (size.X + size.Y) + 2 * Math.PI * f.SkirtDistanceMm) * f.LineWidthMm * f.LayerHeightMm;
        var part = print.WallMm3 + print.SkinMm3 + print.InfillMm3;
        var extruded = part + support + skirt + f.PurgeMm3;
        var grams = extruded / 1000 * material.DensityGPerCm3;

        // The first layer's footprint is laid at first-layer speed instead of skin speed.
        var firstLayerExtra = bed / f.LineWidthMm * Math.Max(0, 1 / f.FirstLayerSpeedMmPerS - 1 / f.SkinSpeedMmPerS);
        var seconds = print.Seconds + firstLayerExtra + support / (f.SupportSpeedMmPerS * f.SupportLineWidthMm * f.LayerHeightMm)
                      + f.StartSequenceSeconds;

        var shape = new FdmCorrection.Shape(volume, height, side, flat, bed, mesh.Shells, ProfileFeatures(profile, mesh, measured: ReferenceEquals(profile, mesh.Profile)));
        var features = FdmCorrection.Features(shape, part - print.InfillMm3, support, extruded - skirt - f.PurgeMm3, print.CoolingSeconds / seconds,
            part / (f.LineWidthMm * f.LayerHeightMm) / layers, print.SmallLayerShare, f);
        return new FdmPhysicsEstimate(grams, seconds, support, layers, features);
    }

    /// <summary>
    /// What the profile says about the shape beyond the sums: mean outline segment (curved or faceted), how much the
    /// cross-section varies, and how much of the support would land on the part rather than on the bed.
    /// </summary>
    private static (double SegmentMm, double AreaVariation, double SupportLanding) ProfileFeatures(LayerProfile profile, MeshAnalysis mesh, bool measured)
    {
        var bands = FdmLayers.UsableBands(profile);
        double outline = 0, segments = 0, sum = 0, squares = 0;
        for (var k = 0; k < bands; k++)
        {
            outline += profile.OutlineMm[k];
            segments += profile.OutlineSegments[k];
            sum += profile.AreaMm2[k];
            squares += profile.AreaMm2[k] * profile.AreaMm2[k];
        }
        var mean = sum / Math.Max(bands, 1);
        var variation = mean > 0 ? Math.Sqrt(Math.Max(squares / bands - mean * mean, 0)) / mean : 0;
        var columns = Math.Max(mesh.SupportVolumeMm3, 0);
        if (!measured || columns <= 0) return (outline / Math.Max(segments, 1), variation, 0);

        // Support falls from each band's overhang towards the bed; at each band below, the share of the bounding
        // rectangle the part covers stops that much of it (where it would land on the part instead).
        var size = mesh.BoundingBoxMm.Size;
        var footprint = Math.Max(size.X * size.Y, 1e-9);
        double falling = 0, body = 0;
        for (var k = bands - 1; k >= 0; k--)
        {
            falling -= falling * Math.Min(Math.Max(profile.AreaMm2[k], 0) / footprint, 1);
            body += falling * profile.BandMm;
            falling += Math.Max(profile.OverhangMm2[k], 0);
        }
        return (outline / Math.Max(segments, 1), variation, Math.Clamp(1 - body / columns, 0, 1));
    }

    /// <summary>
    /// The analysis's side and flat areas; for an analysis without them (built by hand, or cached before they
    /// existed) the flat part is taken as top + bottom of a prism of the same volume and height (2V/H).
    /// </summary>
    private static (double Side, double Flat) SideAndFlatArea(MeshAnalysis mesh, double volume, double area, double height)
    {
        if (mesh.SideAreaMm2 > 0 || mesh.FlatAreaMm2 > 0) return (Math.Max(mesh.SideAreaMm2, 0), Math.Max(mesh.FlatAreaMm2, 0));
        var flat = Math.Min(area, 2 * volume / height);
        return (area - flat, flat);
    }

    private static PrintEstimate EstimateResin(MeshAnalysis mesh, MaterialOptions material, ResinProcessOptions r)
    {
        var volume = PartVolumeMm3(mesh);
        var support = Math.Max(mesh.SupportVolumeMm3, 0) * r.SupportDensity;
        var cured = volume + support + r.WasteMm3;
        var height = Math.Max(mesh.BoundingBoxMm.Size.Z, r.LayerHeightMm);
        var layers = (int)Math.Ceiling(height / r.LayerHeightMm - 1e-9);
        // A resin printer exposes a whole layer at once: time follows height, not volume.
        var printHours = (layers * r.LayerTimeSeconds + r.StartSequenceSeconds) / 3600;
        return new PrintEstimate(cured / 1000 * material.DensityGPerCm3, printHours, printHours + r.HeatUpMinutes / 60,
            support / 1000, layers, PrintEstimate.EstimateMode);
    }

    private static InvalidOperationException MissingProcess(PrinterOptions printer) =>
        new($"The {printer.Technology} printer has no process parameters; validate PricingOptions at start-up.");
}
