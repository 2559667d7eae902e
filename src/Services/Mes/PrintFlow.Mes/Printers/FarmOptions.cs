using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Mes.Printers;

/// <summary>The print farm's settings, section <c>Mes:Farm</c>.</summary>
public sealed class FarmOptions
{
    public const string Section = "Mes:Farm";

    /// <summary>Space kept free around a part on every side of the build volume (and above it), in mm.</summary>
    [Range(0, 100)]
    public double FitMarginMm { get; set; } = 5;

    /// <summary>How often the monitor asks every active printer how it is.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one printer may take to answer before it counts as unreachable for that round.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PrinterTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many printers are asked at once.</summary>
    [Range(1, 256)]
    public int MaxConcurrentPolls { get; set; } = 8;

    /// <summary>How long one upload of G-code may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether printer URLs may point at this machine (loopback). Off in Production: a printer URL on loopback would let a
    /// supervisor's form reach the host's own services. Development and tests run the simulator there.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Whether the monitor runs (tests that drive it by hand switch it off).</summary>
    public bool MonitorEnabled { get; set; } = true;
}
