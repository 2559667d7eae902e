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

    /// <summary>PrusaSlicer, which makes every print's G-code: a name looked up on PATH, or a full path.</summary>
    [Required]
    public string SlicerPath { get; set; } = "prusa-slicer";

    /// <summary>util-linux's prlimit, which bounds the slicer's memory.</summary>
    [Required]
    public string PrlimitPath { get; set; } = "prlimit";

    /// <summary>A slice (one part or a whole plate) taking longer is stopped and the print not sent.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan SliceTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Address space the slicer may reserve.</summary>
    [Range(256, 1 << 20)]
    public int SliceMemoryLimitMiB { get; set; } = 4096;

    /// <summary>
    /// PrusaSlicer .ini profiles by the name printers give as their slicer profile; a printer whose profile is not listed
    /// is sliced with the built-in MK3S 0.20 mm profile. The printer's bed, height and nozzle replace the profile's.
    /// </summary>
    public Dictionary<string, string> SlicerProfiles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where sliced G-code is cached by content hash; null is {DataDirectory}/gcode-cache.</summary>
    public string? GcodeCacheDirectory { get; set; }

    /// <summary>How many G-code files the cache keeps (the least recently used go first).</summary>
    [Range(1, 100_000)]
    public int GcodeCacheMaxFiles { get; set; } = 500;

    /// <summary>With the Plates flag on: at most this many jobs share one build plate.</summary>
    [Range(1, 50)]
    public int PlateMaxJobs { get; set; } = 6;

    /// <summary>
    /// With the Plates flag on: the share of the bed's area the parts' footprints (plus spacing) may cover, so PrusaSlicer's
    /// arrangement always finds room; a job is "small" when it leaves room for another.
    /// </summary>
    [Range(0.1, 0.9)]
    public double PlateFill { get; set; } = 0.5;
}
