using PrintFlow.Geometry;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// A log-linear correction of the physical model, fitted against PrusaSlicer on the calibration corpus
/// (bench/calibrate.sh --fit writes the coefficients; docs/pricing-calibration.md explains each feature).
/// Factor = exp(Σ coefficient × feature), every feature held inside the range seen in the fit and the factor
/// inside [<see cref="MinFactor"/>, <see cref="MaxFactor"/>], so a part unlike any in the corpus gets at most
/// a bounded nudge, never an extrapolated one.
/// </summary>
public static partial class FdmCorrection
{
    public const double MinFactor = 0.5;
    public const double MaxFactor = 2.0;

    public static readonly string[] FeatureNames =
    [
        "intercept", "ln_volume_cm3", "ln_height_mm", "ln_mean_wall_mm", "shell_share", "narrowness", "cooling_share",
        "support_share", "flat_share", "footprint_ratio", "ln_islands", "ln_layer_path_mm", "ln_segment_mm",
        "small_layer_share", "area_variation", "support_landing",
    ];

    /// <summary>The part's geometry as the features read it (mm, mm², mm³).</summary>
    /// <param name="Profile">From the layer profile: mean outline segment, variation of the cross-section, support landing on the part.</param>
    public readonly record struct Shape(double Volume, double Height, double Side, double Flat, double Bed, int Islands,
        (double SegmentMm, double AreaVariation, double SupportLanding) Profile);

    /// <summary>Features of one part from its shape and the physical model's intermediate figures (mm, mm³, shares).</summary>
    public static double[] Features(Shape shape, double shell, double support, double extruded, double coolingShare,
        double layerPathMm, double smallLayerShare, FdmProcessOptions f)
    {
        ArgumentNullException.ThrowIfNull(f);
        var v = Math.Max(shape.Volume, 1e-3);
        var meanWall = shape.Side > 0 ? 2 * v / shape.Side : double.PositiveInfinity;
        return
        [
            1,
            Math.Log(v / 1000),
            Math.Log(Math.Max(shape.Height, 0.1)),
            Math.Log(Math.Clamp(shape.Side > 0 ? meanWall : 1000, 0.1, 1000)),
            Math.Clamp(shell / v, 0, 1),
            Math.Clamp((f.NarrowInteriorFromWallMm - meanWall) / (f.NarrowInteriorFromWallMm - f.NarrowInteriorFullWallMm), 0, 1),
            coolingShare,
            Math.Clamp(support / Math.Max(extruded, 1e-9), 0, 1),
            shape.Flat / Math.Max(shape.Side + shape.Flat, 1e-9),
            Math.Clamp(shape.Bed * shape.Height / v, 0, 5),
            Math.Log(Math.Max(shape.Islands, 1)),
            Math.Log(Math.Max(layerPathMm, 1)),
            Math.Log(Math.Max(shape.Profile.SegmentMm, 0.01)),
            smallLayerShare,
            Math.Min(shape.Profile.AreaVariation, 5),
            shape.Profile.SupportLanding,
        ];
    }

    /// <summary>Multipliers for the physical grams and print time.</summary>
    public static (double Grams, double Time) Factors(IReadOnlyList<double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return (Factor(features, GramsCoefficients), Factor(features, TimeCoefficients));
    }

    /// <summary>
    /// Multiplier for the physical grams of the part alone (walls, skin, infill, skirt, purge: no support), fitted with
    /// the landed-support model beside it; null when the coefficients were written without it.
    /// </summary>
    public static double? PartGramsFactor(IReadOnlyList<double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return PartGramsCoefficients is null || SupportCoefficients is null ? null : Factor(features, PartGramsCoefficients);
    }

    /// <summary>
    /// Support the slicer prints (mm³) from the analysis' landed columns: a non-negative linear fit on columns, contact,
    /// part and bed landing and sheath; null without the fitted coefficients or for measures that are not finite.
    /// </summary>
    public static double? LandedSupportMm3(LandedSupport support)
    {
        ArgumentNullException.ThrowIfNull(support);
        if (SupportCoefficients is not { Length: 5 } c) return null;
        double[] measures = [support.ColumnsMm3, support.ContactMm2, support.PartLandingMm2, support.BedLandingMm2, support.SideMm2];
        var sum = 0.0;
        for (var i = 0; i < c.Length; i++) sum += c[i] * Math.Max(measures[i], 0);
        return double.IsFinite(sum) ? sum : null;
    }

    private static double Factor(IReadOnlyList<double> features, double[] coefficients)
    {
        var sum = 0.0;
        for (var i = 0; i < coefficients.Length && i < features.Count; i++)
            sum += coefficients[i] * Math.Clamp(features[i], FeatureMin[i], FeatureMax[i]);
        return double.IsFinite(sum) ? Math.Clamp(Math.Exp(sum), MinFactor, MaxFactor) : 1;
    }
}
