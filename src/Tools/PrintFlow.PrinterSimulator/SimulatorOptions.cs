using System.ComponentModel.DataAnnotations;

namespace PrintFlow.PrinterSimulator;

public sealed class SimulatorOptions : IValidatableObject
{
    public const string Section = "PrinterSimulator";

    /// <summary>How many virtual printers answer, numbered from 1.</summary>
    [Range(1, 1000)]
    public int Printers { get; set; } = 4;

    /// <summary>Simulated time runs this many times faster than the G-code's estimate (60: an hour's print takes a minute).</summary>
    [Range(0.001, 1_000_000)]
    public double SpeedUp { get; set; } = 1;

    /// <summary>The largest G-code a printer accepts; a larger upload gets 413.</summary>
    [Range(1024, 4L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>API keys by printer (index 0 is printer 1); a printer without one accepts <c>simulated-key-{n}</c>.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Faults injected at start: "2=error-mid-print,3=never-answers" (see <see cref="PrinterFaults"/>).</summary>
    public string? Faults { get; set; }

    /// <summary>Where an error-mid-print fault stops the print (0..1 of its duration).</summary>
    [Range(0.0, 1.0)]
    public double ErrorAtProgress { get; set; } = 0.5;

    /// <summary>Standalone only: the address and port the simulator listens on.</summary>
    public string Host { get; set; } = "127.0.0.1";

    [Range(0, 65535)]
    public int Port { get; set; } = 5900;

    public string ApiKeyOf(int number) =>
        number <= ApiKeys.Count && !string.IsNullOrWhiteSpace(ApiKeys[number - 1]) ? ApiKeys[number - 1] : $"simulated-key-{number}";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? error = null;
        try
        {
            var faults = PrinterFaults.ParseList(Faults);
            if (faults.Keys.Any(n => n > Printers))
                error = $"PrinterSimulator:Faults names a printer above {Printers}.";
        }
        catch (FormatException e)
        {
            error = e.Message;
        }
        if (error is not null) yield return new ValidationResult(error, [nameof(Faults)]);
    }
}
