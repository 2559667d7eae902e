using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// Estimates material and print time from the mesh analysis alone, in microseconds, without slicing.
/// The model and its calibration against PrusaSlicer are described in docs/pricing-calibration.md.
/// </summary>
public static class PrintEstimator
{
    public static PrintEstimate Estimate(MeshAnalysis mesh, MaterialOptions material, PrinterOptions printer)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(printer);
        return printer.Technology switch
        {
            PrintTechnology.Fdm => EstimateFdm(mesh, material, printer.Fdm ?? throw MissingProcess(printer)),
            _ => EstimateResin(mesh, material, printer.Resin ?? throw MissingProcess(printer)),
        };
    }

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
        var volume = PartVolumeMm3(mesh);
        var area = Math.Max(mesh.AreaMm2, 0);
        var height = Math.Max(mesh.BoundingBoxMm.Size.Z, f.LayerHeightMm);
        var layers = (int)Math.Ceiling(height / f.LayerHeightMm - 1e-9);

        // Every surface carries a solid skin: perimeters on walls, solid layers on top and bottom faces.
        // The analysis does not split the area by direction, so the horizontal part is taken as that of a
        // prism of the same volume and height (top + bottom = 2V/H). With the MK3S profile both skins are
        // about 0.9 mm thick, so the split barely matters there; it does when the profile changes.
        var capArea = Math.Min(area, 2 * volume / height);
        var wallSkin = (area - capArea) * f.Perimeters * f.LineWidthMm;
        var capSkin = capArea / 2 * (f.TopLayers + f.BottomLayers) * f.LayerHeightMm;
        var shell = Math.Min(volume, wallSkin + capSkin);
        var outerWall = Math.Min(shell, area * f.LineWidthMm);

        // Thin parts: the interior left between skins is too narrow for sparse infill and gets filled denser.
        var meanWallMm = area > 0 ? 2 * volume / area : 0;
        var narrowness = Math.Clamp((6 - meanWallMm) / 3, 0, 1);
        var interiorDensity = f.InfillFraction + (f.NarrowInteriorDensity - f.InfillFraction) * narrowness;
        var infill = (volume - shell) * interiorDensity;

        var support = PrintedSupportMm3(mesh, f);

        var extruded = shell + infill + support + f.PurgeAndSkirtMm3;
        var grams = extruded / 1000 * material.DensityGPerCm3;

        var lineSection = f.LineWidthMm * f.LayerHeightMm;
        var moving = outerWall / (f.ExternalPerimeterSpeedMmPerS * lineSection)
                     + (shell - outerWall) / (f.ShellSpeedMmPerS * lineSection)
                     + infill / (f.InfillSpeedMmPerS * lineSection)
                     + support / (f.SupportSpeedMmPerS * f.SupportLineWidthMm * f.LayerHeightMm)
                     + layers * f.PerLayerOverheadSeconds;
        var coolingFloor = layers * f.MinLayerTimeSeconds;
        var p = f.MinLayerTimeBlendExponent;
        var layersSeconds = Math.Pow(Math.Pow(moving, p) + Math.Pow(coolingFloor, p), 1 / p);
        var printHours = (layersSeconds + f.StartSequenceSeconds) / 3600;

        return new PrintEstimate(grams, printHours, printHours + f.HeatUpMinutes / 60, support / 1000, layers, PrintEstimate.EstimateMode);
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
