using PrintFlow.Geometry;
using PrintFlow.Slicing;

namespace PrintFlow.Pricing.Core;

/// <summary>
/// Exact mode: slices the model with the PrusaSlicer CLI and reads material and time from the G-code.
/// Seconds instead of microseconds, so it is an option, not the default.
/// </summary>
/// <remarks>
/// The slicer never sees a customer's file: it gets a binary STL written from the parsed mesh (a 3MF's packed
/// configuration would otherwise be applied, post_process scripts included), a profile with every hook emptied
/// (<see cref="SlicerProfile"/>), a private 0700 directory per slice that is removed afterwards, a minimal environment,
/// a time limit and an address-space limit: <see cref="PrusaSlicer"/> in the Slicing building block, shared with MES.
/// </remarks>
public sealed class ExactSlicer(ExactSlicerOptions options)
{
    private static readonly Lazy<string> BuiltInProfile = new(() => SlicerProfile.Compose(PrusaSlicer.BuiltInProfile));

    /// <summary>The arguments used for a slice; docs/pricing-calibration.md uses the same ones.</summary>
    public static IReadOnlyList<string> Arguments(string profilePath, string modelPath, string gcodePath, string dataDir) =>
        PrusaSlicer.Arguments(profilePath, [modelPath], gcodePath, dataDir, merge: false);

    /// <summary>The profile text a slice runs with (the configured or built-in one, hooks emptied).</summary>
    public string Profile() => options.ProfilePath is { } path ? SlicerProfile.Compose(File.ReadAllText(path)) : BuiltInProfile.Value;

    /// <summary>Slices a parsed mesh (millimetres; read it with the customer's units already applied).</summary>
    public Task<SliceResult> SliceAsync(Mesh mesh, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var limits = new SlicerLimits(options.ExecutablePath, options.PrlimitPath, options.Timeout, options.MemoryLimitMiB, options.WorkRoot);
        return PrusaSlicer.SliceAsync(new SliceRequest([new SliceModel(mesh)], Profile()), limits, cancellationToken: cancellationToken);
    }

    /// <summary>A slice as the estimate the quoter prices: grams in the quoted material, billed machine time.</summary>
    public static PrintEstimate ToEstimate(SliceResult slice, MeshAnalysis mesh, MaterialOptions material, PrinterOptions printer)
    {
        if (printer.Technology != PrintTechnology.Fdm || printer.Fdm is null)
            throw new SlicerException(SlicerException.UnsupportedTechnology, "Exact pricing is available for FDM materials only; resin parts are priced by the estimate.");
        var layers = (int)Math.Ceiling(mesh.BoundingBoxMm.Size.Z / printer.Fdm.LayerHeightMm - 1e-9);
        return new PrintEstimate(slice.FilamentCm3 * material.DensityGPerCm3, slice.PrintHours,
            slice.PrintHours + printer.Fdm.HeatUpMinutes / 60,
            PrintEstimator.PrintedSupportMm3(mesh, printer.Fdm) / 1000, layers, PrintEstimate.ExactMode);
    }
}
