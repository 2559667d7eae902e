namespace PrintFlow.PrinterSimulator;

/// <summary>A misbehaviour injected into one virtual printer (command line, configuration or the control endpoint).</summary>
public enum PrinterFault
{
    None,
    /// <summary>The print stops with a printer error at <see cref="VirtualPrinter.ErrorAtProgress"/>.</summary>
    ErrorMidPrint,
    /// <summary>Every request's connection is dropped without an answer.</summary>
    Disconnect,
    /// <summary>Every request hangs until the client gives up.</summary>
    NeverAnswers,
    /// <summary>Every request gets 200 with a body that is not OctoPrint's JSON.</summary>
    Nonsense,
    /// <summary>Every request gets 200 with a body far larger than any OctoPrint reply.</summary>
    HugeReply,
    /// <summary>Uploads are refused with HTTP 500; everything else works.</summary>
    RefuseUpload,
    /// <summary>OctoPrint runs but the printer is not connected to it (409 "Printer is not operational").</summary>
    Offline,
}

public static class PrinterFaults
{
    /// <summary>The kebab-case names used on the command line and the control endpoint ("error-mid-print").</summary>
    public static string Name(PrinterFault fault) => fault switch
    {
        PrinterFault.None => "none",
        PrinterFault.ErrorMidPrint => "error-mid-print",
        PrinterFault.Disconnect => "disconnect",
        PrinterFault.NeverAnswers => "never-answers",
        PrinterFault.Nonsense => "nonsense",
        PrinterFault.HugeReply => "huge-reply",
        PrinterFault.RefuseUpload => "refuse-upload",
        PrinterFault.Offline => "offline",
        _ => throw new ArgumentOutOfRangeException(nameof(fault)),
    };

    public static bool TryParse(string? text, out PrinterFault fault)
    {
        foreach (var candidate in Enum.GetValues<PrinterFault>())
        {
            if (string.Equals(Name(candidate), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                fault = candidate;
                return true;
            }
        }
        fault = PrinterFault.None;
        return false;
    }

    /// <summary>"2=error-mid-print,3=never-answers": printer number to fault.</summary>
    public static Dictionary<int, PrinterFault> ParseList(string? text)
    {
        var faults = new Dictionary<int, PrinterFault>();
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !int.TryParse(parts[0], out var number) || number < 1 || !TryParse(parts[1], out var fault))
                throw new FormatException($"'{item}' is not a fault: write printer=fault, e.g. 2=error-mid-print; faults are " +
                    string.Join(", ", Enum.GetValues<PrinterFault>().Select(Name)) + ".");
            faults[number] = fault;
        }
        return faults;
    }
}
