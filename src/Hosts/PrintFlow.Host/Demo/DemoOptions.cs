using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Host.Demo;

/// <summary>The demo floor, section <c>Demo</c>: simulated printers the embedded host runs and registers in Development.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>How many simulated printers start with the host (Development only; 0 turns them off).</summary>
    [Range(0, 20)]
    public int SimulatedPrinters { get; set; }

    /// <summary>Simulated prints run this many times faster than the G-code's estimate.</summary>
    [Range(1, 100_000)]
    public double PrinterSpeedUp { get; set; } = 60;
}
