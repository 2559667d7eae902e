namespace PrintFlow.Pricing.Core;

/// <summary>How exact mode runs PrusaSlicer. Bound from "Pricing:ExactSlicer".</summary>
public sealed class ExactSlicerOptions
{
    public const string SectionName = "Pricing:ExactSlicer";

    /// <summary>The PrusaSlicer executable: a name looked up on PATH, or a full path.</summary>
    public string ExecutablePath { get; set; } = "prusa-slicer";

    /// <summary>A PrusaSlicer .ini profile; null uses the built-in MK3S 0.20 mm PLA profile (Slicer/mk3s-020.ini).</summary>
    public string? ProfilePath { get; set; }

    /// <summary>A slice taking longer is abandoned and its process tree killed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);
}
