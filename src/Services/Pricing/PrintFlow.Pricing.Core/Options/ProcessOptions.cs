namespace PrintFlow.Pricing.Core;

/// <summary>
/// FDM process parameters. The defaults match the repository's PrusaSlicer profile (Slicer/mk3s-020.ini);
/// the fitted constants (marked "calibrated") come from docs/pricing-calibration.md.
/// </summary>
public sealed class FdmProcessOptions
{
    public double LayerHeightMm { get; set; } = 0.20;
    public double NozzleDiameterMm { get; set; } = 0.40;
    /// <summary>Extrusion width of perimeters and infill (PrusaSlicer uses 0.45 mm on a 0.4 mm nozzle).</summary>
    public double LineWidthMm { get; set; } = 0.45;
    public int Perimeters { get; set; } = 2;
    public int TopLayers { get; set; } = 5;
    public int BottomLayers { get; set; } = 4;
    /// <summary>Sparse infill density, 0.20 = 20 %.</summary>
    public double InfillFraction { get; set; } = 0.20;

    /// <summary>
    /// Interiors of thin-walled parts are filled denser than the sparse infill: the slicer turns narrow regions into
    /// gap fill and solid infill. The mean horizontal wall is 2 × volume / side area (side area: see
    /// MeshAnalysis.SideAreaMm2); the density rises linearly from <see cref="InfillFraction"/> at
    /// <see cref="NarrowInteriorFromWallMm"/> to this value at <see cref="NarrowInteriorFullWallMm"/> and below.
    /// </summary>
    public double NarrowInteriorDensity { get; set; } = 0.42;
    /// <summary>
    /// Calibrated (from the slicer's sparse infill on the corpus' wide parts). The slicer joins infill lines along the
    /// inner perimeter (the profile's infill_anchor / infill_anchor_max): extra sparse infill, as the share of the
    /// sparse region's boundary traced at line spacing on each layer; 0 leaves it out.
    /// </summary>
    public double InfillAnchorShare { get; set; } = 0.48;
    /// <summary>
    /// Calibrated (from the slicer's solid infill on the corpus' cones, frustums, spheres and overhangs). A sloped
    /// surface's skin over the top (bottom) layers' thickness is a ring this many mm wide or less under a steep slope:
    /// the slicer leaves it to the perimeters, so such a slope gets no skin; 0 counts every slope.
    /// </summary>
    public double SlopedSkinMinWidthMm { get; set; } = 0.6;
    /// <summary>Calibrated. Mean horizontal wall (mm) below which the interior starts to be filled denser.</summary>
    public double NarrowInteriorFromWallMm { get; set; } = 10;
    /// <summary>Mean horizontal wall (mm) at and below which the interior is filled at <see cref="NarrowInteriorDensity"/>.</summary>
    public double NarrowInteriorFullWallMm { get; set; } = 3;
    /// <summary>Calibrated. Effective speed of a narrow interior (gap fill: short lines, slow, many direction changes).</summary>
    public double NarrowInteriorSpeedMmPerS { get; set; } = 15;

    /// <summary>Fraction of the analysed support volume that is actually extruded (sparse support pattern).</summary>
    public double SupportDensity { get; set; } = 0.15;
    /// <summary>Dense interface layers under each overhang, as a thickness over the overhang area.</summary>
    public double SupportInterfaceThicknessMm { get; set; } = 0.40;
    public double SupportLineWidthMm { get; set; } = 0.35;

    /// <summary>Calibrated. Effective speed of the outermost perimeter, accelerations included.</summary>
    public double ExternalPerimeterSpeedMmPerS { get; set; } = 25;
    /// <summary>Inner perimeters (the profile's perimeter_speed).</summary>
    public double PerimeterSpeedMmPerS { get; set; } = 45;
    /// <summary>
    /// Calibrated. Cruise speed of solid top/bottom infill lines (between the profile's solid infill 80 mm/s and top
    /// infill 40 mm/s); each line also pays for accelerating and braking at <see cref="InfillAccelerationMmPerS2"/>.
    /// </summary>
    public double SkinSpeedMmPerS { get; set; } = 40;
    /// <summary>Everything on the first layer (the profile's first_layer_speed); applied to the bed contact area.</summary>
    public double FirstLayerSpeedMmPerS { get; set; } = 20;
    public double InfillSpeedMmPerS { get; set; } = 80;
    /// <summary>The profile's infill_acceleration: short infill lines across a narrow layer never reach full speed.</summary>
    public double InfillAccelerationMmPerS2 { get; set; } = 1000;
    /// <summary>The profile's solid_infill_below_area: a layer's interior smaller than this (per shell) is filled solid.</summary>
    public double SolidInfillBelowAreaMm2 { get; set; } = 70;
    public double SupportSpeedMmPerS { get; set; } = 40;

    /// <summary>Calibrated. Layer change, retractions and travel on every layer.</summary>
    public double PerLayerOverheadSeconds { get; set; } = 0.8;
    /// <summary>The slicer slows small layers down so each one cools for at least this long.</summary>
    public double MinLayerTimeSeconds { get; set; } = 15;
    /// <summary>The slicer's min_print_speed: slowing a layer down for cooling stops at this speed.</summary>
    public double MinPrintSpeedMmPerS { get; set; } = 15;
    /// <summary>Calibrated. What the slicer counts once per print besides the layers (moves to the first layer, the skirt's start).</summary>
    public double StartSequenceSeconds { get; set; } = 30;
    /// <summary>Filament of a purge line, extruded once per print (0: exact mode empties the start G-code).</summary>
    public double PurgeMm3 { get; set; }
    /// <summary>Skirt loops around the first layers' footprint (the profile's skirts × skirt_height).</summary>
    public int SkirtLoops { get; set; } = 3;
    /// <summary>Distance from the skirt to the part (the profile's skirt_distance).</summary>
    public double SkirtDistanceMm { get; set; } = 2;
    /// <summary>Bed and nozzle heat-up: machine time that is billed but not part of the slicer's print time.</summary>
    public double HeatUpMinutes { get; set; } = 4;
    /// <summary>
    /// Apply <see cref="FdmCorrection"/>, fitted on the corpus for Slicer/mk3s-020.ini; turn it off for a printer
    /// or profile it was not fitted on until it is re-fitted (docs/pricing-calibration.md).
    /// </summary>
    public bool FittedCorrection { get; set; } = true;

    /// <summary>A copy of this profile printing at <paramref name="layerHeightMm"/> (a buyer's print quality).</summary>
    public FdmProcessOptions WithLayerHeight(double layerHeightMm)
    {
        var copy = (FdmProcessOptions)MemberwiseClone();
        copy.LayerHeightMm = layerHeightMm;
        return copy;
    }
}

/// <summary>Masked-SLA (resin) process parameters: time depends on the number of layers, not on volume.</summary>
public sealed class ResinProcessOptions
{
    public double LayerHeightMm { get; set; } = 0.05;
    /// <summary>Exposure plus tilt/peel per layer.</summary>
    public double LayerTimeSeconds { get; set; } = 7.0;
    /// <summary>Support structures as a fraction of the analysed support volume (thin resin struts).</summary>
    public double SupportDensity { get; set; } = 0.10;
    /// <summary>Platform descent, resin settling and the first burn-in layers.</summary>
    public double StartSequenceSeconds { get; set; } = 180;
    /// <summary>Resin lost per print (vat film, wiping), in mm³.</summary>
    public double WasteMm3 { get; set; } = 500;
    public double HeatUpMinutes { get; set; }

    /// <summary>A copy of this profile printing at <paramref name="layerHeightMm"/> (a buyer's print quality).</summary>
    public ResinProcessOptions WithLayerHeight(double layerHeightMm)
    {
        var copy = (ResinProcessOptions)MemberwiseClone();
        copy.LayerHeightMm = layerHeightMm;
        return copy;
    }
}
