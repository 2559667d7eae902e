namespace PrintFlow.Mes.Printers;

/// <summary>One printer reached over its network protocol (OctoPrint's REST API today).</summary>
public interface IPrinterConnection
{
    /// <summary>The printer's state and current job; never throws for a printer fault: an unreachable or confused printer is a status with an error code.</summary>
    Task<PrinterStatus> GetStatusAsync(PrinterEndpoint printer, CancellationToken cancellationToken);

    /// <summary>Uploads the G-code and starts printing it at once.</summary>
    Task<PrinterReply> UploadAndStartAsync(PrinterEndpoint printer, string fileName, Stream gcode, CancellationToken cancellationToken);

    /// <summary>Cancels the running print, if any.</summary>
    Task<PrinterReply> CancelAsync(PrinterEndpoint printer, CancellationToken cancellationToken);
}

/// <summary>Where a printer answers and the key it accepts.</summary>
public sealed record PrinterEndpoint(Uri BaseUrl, string ApiKey);

/// <summary>What the printer itself reports (MES adds maintenance and retirement on top).</summary>
public enum PrinterLinkState
{
    Idle,
    Printing,
    Paused,
    Error,
    Offline,
}

/// <summary>A printer's answer to "how are you": progress 0..1 while printing; ErrorCode is one of <see cref="PrinterErrorCodes"/>.</summary>
public sealed record PrinterStatus(PrinterLinkState State, double? Progress, TimeSpan? PrintTimeLeft, string? FileName, string? ErrorCode, string? Error);

/// <summary>The outcome of a command; ErrorCode is one of <see cref="PrinterErrorCodes"/> when not Ok.</summary>
public sealed record PrinterReply(bool Ok, string? ErrorCode, string? Error)
{
    public static PrinterReply Success { get; } = new(true, null, null);
}

/// <summary>Machine-readable reasons shown on the printer's card.</summary>
public static class PrinterErrorCodes
{
    public const string Unreachable = "printer_unreachable";
    public const string Unauthorized = "printer_unauthorized";
    public const string BadResponse = "printer_bad_response";
    public const string UploadRefused = "printer_upload_refused";
    public const string Busy = "printer_busy";
    public const string Timeout = "printer_timeout";
    public const string PrinterError = "printer_error";

    /// <summary>MES could not make the G-code (no slicer, a model gone, a plate that did not fit); nothing was sent.</summary>
    public const string NotSliced = "print_not_sliced";

    /// <summary>Problems of MES's own sending that a healthy status report must not wipe off the card before the next print.</summary>
    public static bool StaysUntilNextPrint(string? code) => code is UploadRefused or NotSliced;
}
