namespace PrintFlow.Slicing;

/// <summary>What PrusaSlicer reports in its G-code for one model.</summary>
/// <param name="FilamentCm3">Extruded volume; turned into grams with the quoted material's density.</param>
/// <param name="FilamentGrams">Grams at the profile's own filament density (PLA).</param>
/// <param name="PrintHours">"estimated printing time (normal mode)".</param>
public sealed record SliceResult(double FilamentCm3, double FilamentGrams, double PrintHours);

/// <summary>
/// Exact mode failed; <see cref="Code"/> is one of the <c>slicer.*</c> codes and the message a sentence a person
/// understands, in English. <see cref="Reason"/> and <see cref="Arguments"/> name the same sentence so that a service
/// can word it again in its reader's language (a resource <c>Slicer.&lt;reason&gt;</c>).
/// </summary>
public sealed class SlicerException : Exception
{
    public const string NotInstalled = "slicer.not-installed";
    public const string Timeout = "slicer.timeout";
    public const string Failed = "slicer.failed";
    public const string MemoryLimit = "slicer.memory-limit";
    public const string UnsupportedTechnology = "slicer.unsupported-technology";

    public SlicerException(string code, string message)
        : this(code, message, null, [])
    {
    }

    public SlicerException(string code, string message, string? reason, params string[] arguments)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Arguments = arguments ?? [];
    }

    public string Code { get; }

    /// <summary>Which sentence this is (e.g. <c>timeout</c>), or null when only the English message exists.</summary>
    public string? Reason { get; }

    /// <summary>The sentence's values (names, numbers already written invariantly), in its placeholders' order.</summary>
    public IReadOnlyList<string> Arguments { get; }
}
