namespace PrintFlow.Slicing;

/// <summary>What PrusaSlicer reports in its G-code for one model.</summary>
/// <param name="FilamentCm3">Extruded volume; turned into grams with the quoted material's density.</param>
/// <param name="FilamentGrams">Grams at the profile's own filament density (PLA).</param>
/// <param name="PrintHours">"estimated printing time (normal mode)".</param>
public sealed record SliceResult(double FilamentCm3, double FilamentGrams, double PrintHours);

/// <summary>Exact mode failed; <see cref="Code"/> is one of the <c>slicer.*</c> codes and the message a sentence a person understands.</summary>
public sealed class SlicerException(string code, string message) : Exception(message)
{
    public const string NotInstalled = "slicer.not-installed";
    public const string Timeout = "slicer.timeout";
    public const string Failed = "slicer.failed";
    public const string MemoryLimit = "slicer.memory-limit";
    public const string UnsupportedTechnology = "slicer.unsupported-technology";

    public string Code { get; } = code;
}
