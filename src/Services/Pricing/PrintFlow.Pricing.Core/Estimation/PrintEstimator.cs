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
        return new PrintEstimate(physics.Grams * gramsFactor, printHours, printHours + f.HeatUpMinutes / 60,
            physics.SupportMm3 / 1000, physics.Layers, PrintEstimate.EstimateMode);
    }

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

        // Every surface carries a solid skin whose thickness depends on its slope: perimeters give a horizontal band
        // (perimeters × line width) and solid layers a vertical one (top/bottom layers × layer height). Summed over
        // the faces, that is side area × band + flat area / 2 × (top + bottom) × layer height, where side and flat
        // are Σ area × sin(slope) and Σ area × |cos(slope)| (a 45° slope carries both, ≈ 1.3 mm on this profile).
        var (side, flat) = SideAndFlatArea(mesh, volume, area, height);
        var wallSkin = side * f.Perimeters * f.LineWidthMm;
        var capSkin = flat / 2 * (f.TopLayers + f.BottomLayers) * f.LayerHeightMm;
        var fit = wallSkin + capSkin > volume ? volume / (wallSkin + capSkin) : 1; // a part thinner than its skins is all skin
        wallSkin *= fit;
        capSkin *= fit;
        var shell = wallSkin + capSkin;
        var outerWall = Math.Min(wallSkin, side * f.LineWidthMm);

        // Thin walls: the interior left between the perimeters is too narrow for sparse infill and gets gap fill and
        // solid infill instead: denser and slower. Narrowness follows the mean horizontal wall 2V / side area.
        var meanWallMm = side > 0 ? 2 * volume / side : double.PositiveInfinity;
        var narrowness = Math.Clamp((f.NarrowInteriorFromWallMm - meanWallMm) / (f.NarrowInteriorFromWallMm - f.NarrowInteriorFullWallMm), 0, 1);
        var interiorDensity = f.InfillFraction + (f.NarrowInteriorDensity - f.InfillFraction) * narrowness;
        var interiorSpeed = f.InfillSpeedMmPerS + (f.NarrowInteriorSpeedMmPerS - f.InfillSpeedMmPerS) * narrowness;
        var infill = (volume - shell) * interiorDensity;

        var support = PrintedSupportMm3(mesh, f);

        // The skirt follows the footprint; its bounding rectangle, shrunk towards a circle's perimeter, stands in for it.
        var size = mesh.BoundingBoxMm.Size;
        var skirt = f.SkirtLoops * (0.9 * 2 * (size.X + size.Y) + 2 * Math.PI * f.SkirtDistanceMm) * f.LineWidthMm * f.LayerHeightMm;
        var extruded = shell + infill + support + skirt + f.PurgeMm3;
        var grams = extruded / 1000 * material.DensityGPerCm3;

        var lineSection = f.LineWidthMm * f.LayerHeightMm;
        // The first layer's footprint is laid at first-layer speed instead of skin speed.
        var firstLayerExtra = Math.Max(mesh.BedContactAreaMm2, 0) / f.LineWidthMm
                              * Math.Max(0, 1 / f.FirstLayerSpeedMmPerS - 1 / f.SkinSpeedMmPerS);
        var moving = outerWall / (f.ExternalPerimeterSpeedMmPerS * lineSection)
                     + (wallSkin - outerWall) / (f.PerimeterSpeedMmPerS * lineSection)
                     + capSkin / (f.SkinSpeedMmPerS * lineSection)
                     + infill / (interiorSpeed * lineSection)
                     + support / (f.SupportSpeedMmPerS * f.SupportLineWidthMm * f.LayerHeightMm)
                     + firstLayerExtra
                     + layers * f.PerLayerOverheadSeconds;
        // The slicer stretches a short layer to the minimum layer time but never below the minimum print speed, so a
        // small layer's floor is its extrusion length at that speed (a 3 mm pin is not held 15 s per layer).
        var meanLayerLengthMm = (shell + infill) / lineSection / layers;
        var coolingFloor = layers * Math.Min(f.MinLayerTimeSeconds, meanLayerLengthMm / f.MinPrintSpeedMmPerS);
        var p = f.MinLayerTimeBlendExponent;
        var layersSeconds = Math.Pow(Math.Pow(moving, p) + Math.Pow(coolingFloor, p), 1 / p);

        var features = FdmCorrection.Features(volume, height, side, flat, Math.Max(mesh.BedContactAreaMm2, 0), shell, narrowness,
            support, extruded, moving, coolingFloor, mesh.Shells, meanLayerLengthMm);
        return new FdmPhysicsEstimate(grams, layersSeconds + f.StartSequenceSeconds, support, layers, features);
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
