using Microsoft.Extensions.Options;

namespace PrintFlow.PrinterSimulator;

/// <summary>The virtual printers of one simulator, numbered from 1.</summary>
public sealed class PrinterFarm
{
    private readonly VirtualPrinter[] _printers;

    public PrinterFarm(IOptions<SimulatorOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        var faults = PrinterFaults.ParseList(Options.Faults);
        _printers = Enumerable.Range(1, Options.Printers)
            .Select(n => new VirtualPrinter(n, Options.ApiKeyOf(n), Options.SpeedUp, Options.ErrorAtProgress, time))
            .ToArray();
        foreach (var (number, fault) in faults) _printers[number - 1].SetFault(fault);
    }

    public SimulatorOptions Options { get; }

    public IReadOnlyList<VirtualPrinter> Printers => _printers;

    public VirtualPrinter? Find(int number) => number >= 1 && number <= _printers.Length ? _printers[number - 1] : null;
}
