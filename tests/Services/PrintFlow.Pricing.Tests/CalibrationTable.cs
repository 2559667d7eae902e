namespace PrintFlow.Pricing.Tests;

/// <summary>
/// PrusaSlicer 2.5.0's figures for the fixture models with Slicer/mk3s-020.ini, copied from
/// docs/pricing-calibration.md (bench/calibrate.sh re-measures them). The estimator is fitted on the generated corpus,
/// never on these parts, so they are a holdout; tolerances are the corpus' p90 goals: ±15 % material, ±25 % time.
/// </summary>
public static class CalibrationTable
{
    public sealed record Row(string Model, double SlicerGrams, double SlicerSeconds, double GramsTolerance = 0.15, double TimeTolerance = 0.25);

    public static readonly Row[] Rows =
    [
        new("cube-20mm.stl", 4.16, 29 * 60 + 24),
        new("cylinder-d30-h40.stl", 12.05, 3600 + 24),
        new("hollow-box.stl", 14.10, 3600 + 7 * 60 + 28),
        new("housing-70mm.stl", 25.84, 2 * 3600 + 27 * 60 + 35),
        new("l-bracket.stl", 6.29, 52 * 60 + 26),
        new("mushroom-overhang.stl", 10.75, 53 * 60),
        new("solid-block-80mm.stl", 21.14, 3600 + 14 * 60 + 34),
        new("sphere-d30.stl", 7.39, 48 * 60 + 42),
        new("tube-d40-h30.stl", 9.76, 3600 + 4 * 60 + 36),
        new("cone-d40-h30.stl", 6.97, 45 * 60 + 27),
        new("plate-holes-60x40x6.stl", 9.01, 40 * 60 + 20),
    ];

    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var row in Rows) data.Add(row.Model);
        return data;
    }
}
