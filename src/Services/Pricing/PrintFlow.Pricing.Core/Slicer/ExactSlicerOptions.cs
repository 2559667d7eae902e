namespace PrintFlow.Pricing.Core;

/// <summary>How exact mode runs PrusaSlicer. Bound from "Pricing:ExactSlicer".</summary>
public sealed class ExactSlicerOptions
{
    public const string SectionName = "Pricing:ExactSlicer";

    /// <summary>The PrusaSlicer executable: a name looked up on PATH, or a full path.</summary>
    public string ExecutablePath { get; set; } = "prusa-slicer";

    /// <summary>
    /// A PrusaSlicer .ini profile; null uses the built-in MK3S 0.20 mm PLA profile (mk3s-020.ini in the Slicing building block). Its script
    /// hooks and custom G-code are emptied either way (<see cref="PrintFlow.Slicing.SlicerProfile"/>).
    /// </summary>
    public string? ProfilePath { get; set; }

    /// <summary>A slice taking longer is abandoned and its process tree killed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Address space the slicer process may reserve (RLIMIT_AS, set through prlimit). A 70 mm housing needs under
    /// 512 MiB of it; a slicer going past the limit fails with slicer.memory-limit instead of starving the host.
    /// </summary>
    public int MemoryLimitMiB { get; set; } = 4096;

    /// <summary>util-linux's prlimit, which applies the memory limit to the slicer before it starts.</summary>
    public string PrlimitPath { get; set; } = "prlimit";

    /// <summary>Where each slice's private directory is made; null is the system temporary directory.</summary>
    public string? WorkRoot { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ExecutablePath)) errors.Add("Pricing:ExactSlicer:ExecutablePath must name the PrusaSlicer executable.");
        if (Timeout <= TimeSpan.Zero) errors.Add("Pricing:ExactSlicer:Timeout must be positive.");
        if (MemoryLimitMiB is < 256 or > 1 << 20) errors.Add("Pricing:ExactSlicer:MemoryLimitMiB must be between 256 (PrusaSlicer cannot start with less) and 1048576.");
        if (string.IsNullOrWhiteSpace(PrlimitPath)) errors.Add("Pricing:ExactSlicer:PrlimitPath must name util-linux's prlimit.");
        if (ProfilePath is not null && !File.Exists(ProfilePath)) errors.Add($"Pricing:ExactSlicer:ProfilePath '{ProfilePath}' does not exist.");
        if (WorkRoot is not null && !Directory.Exists(WorkRoot)) errors.Add($"Pricing:ExactSlicer:WorkRoot '{WorkRoot}' does not exist.");
        return errors;
    }
}
