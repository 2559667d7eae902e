namespace PrintFlow.PrinterSimulator;

/// <summary>The entry point, kept internal and out of the global namespace so a host that maps the simulator keeps its own Program.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => SimulatorProgram.RunAsync(args);
}
