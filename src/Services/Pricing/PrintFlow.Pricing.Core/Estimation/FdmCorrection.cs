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
        "support_share", "flat_share", "footprint_ratio", "ln_islands", "ln_layer_path_mm",
    ];

    /// <summary>Features of one part from the physical model's intermediate figures (mm, mm², mm³, seconds).</summary>
    public static double[] Features(double volume, double height, double side, double flat, double bed, double shell,
        double narrowness, double support, double extruded, double moving, double coolingFloor, int islands, double layerPathMm)
    {
        var v = Math.Max(volume, 1e-3);
        return
        [
            1,
            Math.Log(v / 1000),
            Math.Log(Math.Max(height, 0.1)),
            Math.Log(Math.Clamp(side > 0 ? 2 * v / side : 1000, 0.1, 1000)),
            Math.Clamp(shell / v, 0, 1),
            narrowness,
            coolingFloor / Math.Max(moving + coolingFloor, 1e-9),
            Math.Clamp(support / Math.Max(extruded, 1e-9), 0, 1),
            flat / Math.Max(side + flat, 1e-9),
            Math.Clamp(bed * height / v, 0, 5),
            Math.Log(Math.Max(islands, 1)),
            Math.Log(Math.Max(layerPathMm, 1)),
        ];
    }

    /// <summary>Multipliers for the physical grams and print time.</summary>
    public static (double Grams, double Time) Factors(IReadOnlyList<double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return (Factor(features, GramsCoefficients), Factor(features, TimeCoefficients));
    }

    private static double Factor(IReadOnlyList<double> features, double[] coefficients)
    {
        var sum = 0.0;
        for (var i = 0; i < coefficients.Length && i < features.Count; i++)
            sum += coefficients[i] * Math.Clamp(features[i], FeatureMin[i], FeatureMax[i]);
        return double.IsFinite(sum) ? Math.Clamp(Math.Exp(sum), MinFactor, MaxFactor) : 1;
    }
}
