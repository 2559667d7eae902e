using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Mes.Printers.OctoPrint;

/// <summary>How long and how much MES waits for and reads from a printer's OctoPrint server.</summary>
public sealed class OctoPrintOptions
{
    public const string Section = "Mes:OctoPrint";

    /// <summary>A status read or a command that takes longer is given up as <see cref="PrinterErrorCodes.Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An upload (G-code of tens of MB over a printer's Wi-Fi) may take this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Opening the TCP connection may take this long before the printer counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The most of a printer's reply MES reads; OctoPrint's job and printer replies are a few KB.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}
