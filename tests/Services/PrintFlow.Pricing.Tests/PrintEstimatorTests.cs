using PrintFlow.Geometry;
using PrintFlow.Pricing.Core;

namespace PrintFlow.Pricing.Tests;

public class PrintEstimatorTests
{
    private static readonly PricingOptions Options = PricingOptions.Default;
    private static MaterialOptions Pla => Options.Materials["PLA"];
    private static PrinterOptions Mk3s => Options.Printers["MK3S"];

    private static MeshAnalysis Analyze(string model) =>
        ModelAnalysis.AnalyzeFile(Path.Combine(AppContext.BaseDirectory, "Models", model));

    [Theory]
    [MemberData(nameof(CalibrationTable.Models), MemberType = typeof(CalibrationTable))]
    public void Estimate_WhenCalibrationModel_MatchesPrusaSlicerWithinTolerance(string model)
    {
        var row = CalibrationTable.Rows.Single(r => r.Model == model);

        var estimate = PrintEstimator.Estimate(Analyze(model), Pla, Mk3s);

        var gramsError = estimate.MaterialGrams / row.SlicerGrams - 1;
        var timeError = estimate.PrintHours * 3600 / row.SlicerSeconds - 1;
        Assert.True(Math.Abs(gramsError) <= row.GramsTolerance, $"{model}: {estimate.MaterialGrams:0.00} g vs slicer {row.SlicerGrams} g ({gramsError:P1})");
        Assert.True(Math.Abs(timeError) <= row.TimeTolerance, $"{model}: {estimate.PrintHours:0.000} h vs slicer {row.SlicerSeconds / 3600:0.000} h ({timeError:P1})");
    }

    [Trait("Category", "Tools")]
    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("sphere-d30.stl")]
    [InlineData("l-bracket.stl")]
    [InlineData("housing-70mm.stl")]
    public async Task SliceAsync_WhenHoldoutPartSlicedAgain_MatchesTheCommittedReference(string model)
    {
        var row = CalibrationTable.Rows.Single(r => r.Model == model);
        var slicer = new ExactSlicer(new ExactSlicerOptions { Timeout = TimeSpan.FromMinutes(5) });

        var result = await slicer.SliceAsync(ModelReader.Read(Path.Combine(AppContext.BaseDirectory, "Models", model)));

        // PrusaSlicer's time moves by a few seconds between runs (multi-threaded slicing); grams do not.
        Assert.Equal(row.SlicerGrams, result.FilamentGrams, 0.02);
        Assert.Equal(row.SlicerSeconds, result.PrintHours * 3600, row.SlicerSeconds * 0.02);
    }

    [Fact]
    public void Estimate_WhenCalibrationSet_AverageErrorsAreSmall()
    {
        var errors = CalibrationTable.Rows.Select(r =>
        {
            var e = PrintEstimator.Estimate(Analyze(r.Model), Pla, Mk3s);
            return (Grams: Math.Abs(e.MaterialGrams / r.SlicerGrams - 1), Time: Math.Abs(e.PrintHours * 3600 / r.SlicerSeconds - 1));
        }).ToList();

        Assert.True(errors.Average(e => e.Grams) < 0.05, $"mean material error {errors.Average(e => e.Grams):P1}");
        Assert.True(errors.Average(e => e.Time) < 0.10, $"mean time error {errors.Average(e => e.Time):P1}");
    }

    [Fact]
    public void Estimate_WhenDenserMaterial_WeighsProportionallyMoreForSameTime()
    {
        var mesh = Analyze("cube-20mm.stl");

        var pla = PrintEstimator.Estimate(mesh, Pla, Mk3s);
        var petg = PrintEstimator.Estimate(mesh, Options.Materials["PETG"], Mk3s);

        Assert.Equal(pla.MaterialGrams * 1.27 / 1.24, petg.MaterialGrams, 9);
        Assert.Equal(pla.PrintHours, petg.PrintHours);
    }

    [Fact]
    public void Estimate_WhenMoreInfill_UsesMoreMaterialAndTime()
    {
        var mesh = Analyze("solid-block-80mm.stl");
        var dense = PricingOptions.Default.Printers["MK3S"];
        dense.Fdm!.InfillFraction = 0.5;

        var normal = PrintEstimator.Estimate(mesh, Pla, Mk3s);
        var denser = PrintEstimator.Estimate(mesh, Pla, dense);

        Assert.True(denser.MaterialGrams > normal.MaterialGrams * 1.3);
        Assert.True(denser.PrintHours > normal.PrintHours);
    }

    [Fact]
    public void Estimate_WhenMoreTopAndBottomLayers_UsesMoreMaterial()
    {
        var mesh = Analyze("solid-block-80mm.stl");
        var thick = PricingOptions.Default.Printers["MK3S"].Fdm!;
        thick.TopLayers = 10;
        thick.BottomLayers = 8;

        var normal = PrintEstimator.FdmPhysics(mesh, Pla, Mk3s.Fdm!);
        var thicker = PrintEstimator.FdmPhysics(mesh, Pla, thick);

        // Inside the perimeters, the 80 × 40 caps get 1.8 mm more solid skin in place of 20 % infill and its anchors.
        var spacing = Mk3s.Fdm!.LineWidthMm - Mk3s.Fdm.LayerHeightMm * (1 - Math.PI / 4);
        var expectedExtraMm3 = (80 * 40 - 2 * (80 + 40) * 2 * spacing) * 1.8 * (1 - 0.2) - Mk3s.Fdm.InfillAnchorShare * 2 * (80 + 40) * spacing * 1.8;
        Assert.Equal(expectedExtraMm3 / 1000 * 1.24, thicker.Grams - normal.Grams, 1);
    }

    [Fact]
    public void Estimate_WhenMorePerimeters_UsesMoreMaterial()
    {
        var mesh = Analyze("cylinder-d30-h40.stl");
        var walls = PricingOptions.Default.Printers["MK3S"];
        walls.Fdm!.Perimeters = 4;

        Assert.True(PrintEstimator.Estimate(mesh, Pla, walls).MaterialGrams > PrintEstimator.Estimate(mesh, Pla, Mk3s).MaterialGrams * 1.1);
    }

    [Fact]
    public void Estimate_WhenTinyPart_CoolingFloorStopsAtMinimumPrintSpeed()
    {
        // 100 layers of a 5 mm square: each layer's 56 mm path at the 15 mm/s minimum speed lasts 3.7 s, not the 15 s
        // minimum layer time, because the slicer never slows below min_print_speed.
        var physics = PrintEstimator.FdmPhysics(TestMeshes.Box(5, 5, 20), Pla, Mk3s.Fdm!);

        var floorSeconds = 5 * 5 * 20 / (0.45 * 0.2) / 15;
        Assert.InRange(physics.PrintSeconds, floorSeconds + Mk3s.Fdm!.StartSequenceSeconds, 100 * 15);
    }

    [Fact]
    public void FdmPhysics_WhenPinStandsOnALargeBase_CoolingFloorHoldsOnlyThePinsLayers()
    {
        // 50 layers of a 20 mm square under 50 layers of a 2 mm pin. The pin's layers are stretched towards the 15 s
        // minimum layer time, but only down to min_print_speed; the base's layers take longer than 15 s anyway.
        var f = Mk3s.Fdm!;
        var baseOnly = PrintEstimator.FdmPhysics(Profiled(TestMeshes.Box(20, 20, 10), Bands(50, 400, 80)), Pla, f);
        var withPin = PrintEstimator.FdmPhysics(Profiled(TestMeshes.Box(20, 20, 20), Stack(Bands(50, 400, 80), Bands(50, 4, 8))), Pla, f);

        var spacing = f.LineWidthMm - f.LayerHeightMm * (1 - Math.PI / 4);
        var pinLayer = f.PerLayerOverheadSeconds + 4 / spacing / f.MinPrintSpeedMmPerS;
        Assert.InRange(withPin.PrintSeconds - baseOnly.PrintSeconds, 50 * pinLayer * 0.99, 50 * pinLayer * 1.2);
        Assert.True(withPin.Features[Array.IndexOf(FdmCorrection.FeatureNames, "cooling_share")] > 0);
        Assert.Equal(0.5, withPin.Features[Array.IndexOf(FdmCorrection.FeatureNames, "small_layer_share")], 9);
    }

    [Fact]
    public void FdmPhysics_WhenLayerInteriorBelowSolidInfillArea_FillsItSolid()
    {
        // A 6 mm column leaves ≈ 16 mm² inside its perimeters, under the profile's 70 mm²: solid, not 20 % infill.
        var cube = PrintEstimator.FdmPhysics(Analyze("cube-20mm.stl"), Pla, Mk3s.Fdm!);
        var thin = PrintEstimator.FdmPhysics(Profiled(TestMeshes.Box(6, 6, 20), Bands(100, 36, 24)), Pla, Mk3s.Fdm!);

        Assert.InRange(thin.Grams / (36 * 20 / 1000.0 * Pla.DensityGPerCm3), 0.97, 1.03); // the skirt on top
        Assert.True(cube.Grams / (8000 / 1000.0 * Pla.DensityGPerCm3) < 0.6);
    }

    [Fact]
    public void FdmPhysics_WhenInteriorIsSparse_AddsInfillAnchorsAlongItsOutline()
    {
        // A 40 mm square prism: 91 of its 100 layers are sparse inside the walls, and on each the slicer's infill
        // anchors trace InfillAnchorShare of the 160 mm outline at line spacing.
        var mesh = Profiled(TestMeshes.Box(40, 40, 20), Bands(100, 1600, 160));
        var f = Mk3s.Fdm!;
        var none = PricingOptions.Default.Printers["MK3S"].Fdm!;
        none.InfillAnchorShare = 0;

        var anchored = PrintEstimator.FdmPhysics(mesh, Pla, f);
        var plain = PrintEstimator.FdmPhysics(mesh, Pla, none);

        var spacing = f.LineWidthMm - f.LayerHeightMm * (1 - Math.PI / 4);
        var expectedMm3 = f.InfillAnchorShare * 160 * spacing * f.LayerHeightMm * 91;
        Assert.Equal(expectedMm3 / 1000 * Pla.DensityGPerCm3, anchored.Grams - plain.Grams, 6);
    }

    [Fact]
    public void FdmPhysics_WhenInteriorIsNarrow_AddsNoInfillAnchors()
    {
        // A 3 mm wide wall: its interior is gap fill at the narrow density, which already holds what the slicer prints.
        var mesh = Profiled(TestMeshes.Box(100, 3, 20), Bands(100, 300, 206));
        var none = PricingOptions.Default.Printers["MK3S"].Fdm!;
        none.InfillAnchorShare = 0;

        Assert.Equal(PrintEstimator.FdmPhysics(mesh, Pla, none).Grams, PrintEstimator.FdmPhysics(mesh, Pla, Mk3s.Fdm!).Grams, 9);
    }

    [Fact]
    public void FdmPhysics_WhenUpSurfaceIsASteepSlope_LeavesItsSkinToTheWalls()
    {
        // A 40 mm prism whose every band also has a ring sloped at tan θ = 64 (0.5 mm² seen from above, 32 mm² rise):
        // over the 5 top layers its skin would be 1 mm / 64 wide, far under SlopedSkinMinWidthMm, so none is printed.
        var mesh = Profiled(TestMeshes.Box(40, 40, 20), Sloped(Bands(100, 1600, 160), upPerBand: 0.5, risePerBand: 32));
        var counted = PricingOptions.Default.Printers["MK3S"].Fdm!;
        counted.SlopedSkinMinWidthMm = 0;

        var steep = PrintEstimator.FdmPhysics(mesh, Pla, Mk3s.Fdm!);
        var plain = PrintEstimator.FdmPhysics(Profiled(TestMeshes.Box(40, 40, 20), Bands(100, 1600, 160)), Pla, Mk3s.Fdm!);

        Assert.Equal(plain.Grams, steep.Grams, 9);
        Assert.True(PrintEstimator.FdmPhysics(mesh, Pla, counted).Grams > steep.Grams);
    }

    [Fact]
    public void FdmPhysics_WhenUpSurfaceIsAShallowSlope_KeepsItsSkin()
    {
        // A 45° ring (32 mm² from above and in rise per band): 1 mm of skin over the top layers, wider than the limit.
        var mesh = Profiled(TestMeshes.Box(40, 40, 20), Sloped(Bands(100, 1600, 160), upPerBand: 32, risePerBand: 32));
        var counted = PricingOptions.Default.Printers["MK3S"].Fdm!;
        counted.SlopedSkinMinWidthMm = 0;

        Assert.Equal(PrintEstimator.FdmPhysics(mesh, Pla, counted).Grams, PrintEstimator.FdmPhysics(mesh, Pla, Mk3s.Fdm!).Grams, 9);
    }

    private static LayerProfile Sloped(LayerProfile flat, double upPerBand, double risePerBand) => flat with
    {
        UpMm2 = [.. flat.UpMm2.Select(u => u + upPerBand)],
        UpRiseMm2 = [.. flat.UpMm2.Select(_ => risePerBand)],
        DownRiseMm2 = new double[flat.Bands],
    };

    [Fact]
    public void FdmPhysics_WhenAnalysisHasNoProfile_EstimatesAPrismOfTheSameShape()
    {
        var measured = Analyze("cube-20mm.stl");

        var fromProfile = PrintEstimator.FdmPhysics(measured, Pla, Mk3s.Fdm!);
        var fromSums = PrintEstimator.FdmPhysics(measured with { Profile = null }, Pla, Mk3s.Fdm!);

        Assert.NotNull(measured.Profile);
        Assert.Equal(fromProfile.Grams, fromSums.Grams, fromProfile.Grams * 0.02);
        Assert.Equal(fromProfile.PrintSeconds, fromSums.PrintSeconds, fromProfile.PrintSeconds * 0.05);
    }

    [Fact]
    public void FdmPhysics_WhenProfileListsDisagreeInLength_UsesTheShortestAndStaysFinite()
    {
        var bands = Bands(40, 100, 40);
        var torn = bands with { OutlineMm = [.. bands.OutlineMm.Take(10)], OverhangMm2 = new double[20] };

        var physics = PrintEstimator.FdmPhysics(Profiled(TestMeshes.Box(10, 10, 8), torn), Pla, Mk3s.Fdm!);

        Assert.True(double.IsFinite(physics.Grams) && physics.Grams > 0);
        Assert.True(double.IsFinite(physics.PrintSeconds) && physics.PrintSeconds > 0);
        Assert.All(physics.Features, x => Assert.True(double.IsFinite(x)));
    }

    [Fact]
    public void Estimate_WhenPartHasLandedSupport_PricesPartAndSupportFromTheLandedModel()
    {
        var mesh = Analyze("mushroom-overhang.stl");
        var support = mesh.Profile!.Support!;
        var physics = PrintEstimator.FdmPhysics(mesh, Pla, Mk3s.Fdm!);
        var landed = FdmCorrection.LandedSupportMm3(support)!.Value;
        var part = physics.Grams - physics.SupportMm3 / 1000 * Pla.DensityGPerCm3;

        var estimate = PrintEstimator.Estimate(mesh, Pla, Mk3s);

        Assert.True(landed > 0, "the mushroom's cap needs support");
        Assert.Equal(landed / 1000, estimate.SupportVolumeCm3, 9);
        Assert.Equal(part * FdmCorrection.PartGramsFactor(physics.Features)!.Value + landed / 1000 * Pla.DensityGPerCm3, estimate.MaterialGrams, 9);
        Assert.Equal(physics.PrintSeconds * FdmCorrection.Factors(physics.Features).Time / 3600, estimate.PrintHours, 9);
    }

    [Fact]
    public void Estimate_WhenAnalysisHasNoSupportGrid_FallsBackToTheSingleCorrectionAndTheSupportGuess()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Models", "mushroom-overhang.stl");
        var mesh = ModelAnalysis.AnalyzeFile(path, analysis: new AnalysisOptions { LandedSupport = false });
        var physics = PrintEstimator.FdmPhysics(mesh, Pla, Mk3s.Fdm!);

        var estimate = PrintEstimator.Estimate(mesh, Pla, Mk3s);

        Assert.Null(mesh.Profile!.Support);
        Assert.Equal(physics.Grams * FdmCorrection.Factors(physics.Features).Grams, estimate.MaterialGrams, 9);
        Assert.Equal(PrintEstimator.PrintedSupportMm3(mesh, Mk3s.Fdm!) / 1000, estimate.SupportVolumeCm3, 9);
        Assert.Equal(PrintEstimator.Estimate(Analyze("mushroom-overhang.stl"), Pla, Mk3s).PrintHours, estimate.PrintHours, 9);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Estimate_WhenLandedMeasuresAreNotFinite_FallsBackToTheSingleCorrection(double hostile)
    {
        var mesh = Analyze("mushroom-overhang.stl");
        var torn = mesh with { Profile = mesh.Profile! with { Support = new LandedSupport(hostile, 1, 1, 1, 1, 0) } };
        var physics = PrintEstimator.FdmPhysics(torn, Pla, Mk3s.Fdm!);

        var estimate = PrintEstimator.Estimate(torn, Pla, Mk3s);

        Assert.Equal(physics.Grams * FdmCorrection.Factors(physics.Features).Grams, estimate.MaterialGrams, 9);
        Assert.True(double.IsFinite(estimate.SupportVolumeCm3) && estimate.SupportVolumeCm3 >= 0);
    }

    [Fact]
    public void Estimate_WhenPartNeedsNoSupport_PricesNoLandedSupport()
    {
        var mesh = Analyze("cube-20mm.stl");

        var estimate = PrintEstimator.Estimate(mesh, Pla, Mk3s);

        Assert.NotNull(mesh.Profile!.Support);
        Assert.Equal(0, estimate.SupportVolumeCm3);
    }

    private static MeshAnalysis Profiled(MeshAnalysis mesh, LayerProfile profile) => mesh with { Profile = profile };

    private static LayerProfile Stack(LayerProfile below, LayerProfile above) => new(below.BandMm,
        [.. below.AreaMm2, .. above.AreaMm2], [.. below.OutlineMm, .. above.OutlineMm], [.. below.OutlineSegments, .. above.OutlineSegments],
        [.. below.UpMm2, .. above.UpMm2], [.. below.DownMm2, .. above.DownMm2], [.. below.OverhangMm2, .. above.OverhangMm2]);

    /// <summary>A prism's profile: <paramref name="count"/> 0.2 mm bands, its flats on the first and last.</summary>
    private static LayerProfile Bands(int count, double area, double outline)
    {
        var up = new double[count];
        var down = new double[count];
        up[^1] = area;
        down[0] = area;
        return new LayerProfile(0.2, Enumerable.Repeat(area, count).ToArray(), Enumerable.Repeat(outline, count).ToArray(),
            Enumerable.Repeat(4, count).ToArray(), up, down, new double[count]);
    }

    [Fact]
    public void Estimate_WhenMachineTime_AddsHeatUpToPrintTime()
    {
        var estimate = PrintEstimator.Estimate(TestMeshes.Cube(20), Pla, Mk3s);

        Assert.Equal(estimate.PrintHours + Mk3s.Fdm!.HeatUpMinutes / 60, estimate.MachineHours, 9);
        Assert.Equal(100, estimate.Layers);
        Assert.Equal(PrintEstimate.EstimateMode, estimate.Mode);
    }

    [Fact]
    public void Estimate_WhenResin_TimeFollowsHeightNotVolume()
    {
        var resin = Options.Materials["Resin"];
        var sl1s = Options.Printers["SL1S"];

        var flat = PrintEstimator.Estimate(TestMeshes.Box(60, 60, 10), resin, sl1s);
        var thin = PrintEstimator.Estimate(TestMeshes.Box(5, 5, 10), resin, sl1s);
        var tall = PrintEstimator.Estimate(TestMeshes.Box(5, 5, 40), resin, sl1s);

        Assert.Equal(flat.PrintHours, thin.PrintHours, 9);
        Assert.Equal(200, thin.Layers);
        Assert.Equal((800 * 7.0 + 180) / 3600, tall.PrintHours, 9);
        Assert.Equal((60 * 60 * 10 + 500) / 1000.0 * 1.10, flat.MaterialGrams, 9);
    }

    [Fact]
    public void Estimate_WhenFacesFlipped_UsesVolumeAfterOrientationFix()
    {
        var flipped = TestMeshes.Cube(20) with { VolumeMm3 = -8000, OrientationConsistent = false, VolumeAfterOrientationFixMm3 = 8000 };

        var estimate = PrintEstimator.Estimate(flipped, Pla, Mk3s);

        Assert.Equal(PrintEstimator.Estimate(TestMeshes.Cube(20), Pla, Mk3s).MaterialGrams, estimate.MaterialGrams, 9);
    }

    [Fact]
    public void Estimate_WhenFittedCorrectionOff_IsThePhysicalModel()
    {
        var mesh = Analyze("housing-70mm.stl");
        var plain = PricingOptions.Default.Printers["MK3S"];
        plain.Fdm!.FittedCorrection = false;

        var estimate = PrintEstimator.Estimate(mesh, Pla, plain);
        var physics = PrintEstimator.FdmPhysics(mesh, Pla, plain.Fdm);

        Assert.Equal(physics.Grams, estimate.MaterialGrams, 9);
        Assert.Equal(physics.PrintSeconds / 3600, estimate.PrintHours, 9);
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(1e9)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Factors_WhenFeaturesFarOutsideTheCorpus_StayWithinBounds(double value)
    {
        var features = Enumerable.Repeat(value, FdmCorrection.FeatureNames.Length).ToArray();
        features[0] = 1;

        var (grams, time) = FdmCorrection.Factors(features);

        Assert.InRange(grams, FdmCorrection.MinFactor, FdmCorrection.MaxFactor);
        Assert.InRange(time, FdmCorrection.MinFactor, FdmCorrection.MaxFactor);
    }

    [Fact]
    public void FdmPhysics_WhenAnyPart_ReturnsOneValueForEveryFeature()
    {
        var physics = PrintEstimator.FdmPhysics(Analyze("l-bracket.stl"), Pla, Mk3s.Fdm!);

        Assert.Equal(FdmCorrection.FeatureNames.Length, physics.Features.Count);
        Assert.All(physics.Features, f => Assert.True(double.IsFinite(f)));
    }
}
