namespace PrintFlow.Mes.Printers;

/// <summary>Stands in while no printer protocol is built in: every printer reads as unreachable and takes nothing.</summary>
internal sealed class NoPrinterConnection : IPrinterConnection
{
    private const string Why = "No printer protocol is configured in this build.";

    public Task<PrinterStatus> GetStatusAsync(PrinterEndpoint printer, CancellationToken cancellationToken) =>
        Task.FromResult(new PrinterStatus(PrinterLinkState.Offline, null, null, null, PrinterErrorCodes.Unreachable, Why));

    public Task<PrinterReply> UploadAndStartAsync(PrinterEndpoint printer, string fileName, Stream gcode, CancellationToken cancellationToken) =>
        Task.FromResult(new PrinterReply(false, PrinterErrorCodes.Unreachable, Why));

    public Task<PrinterReply> CancelAsync(PrinterEndpoint printer, CancellationToken cancellationToken) =>
        Task.FromResult(new PrinterReply(false, PrinterErrorCodes.Unreachable, Why));
}
