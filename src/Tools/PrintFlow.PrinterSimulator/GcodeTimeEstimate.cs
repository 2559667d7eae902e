using System.Globalization;
using System.Text;

namespace PrintFlow.PrinterSimulator;

/// <summary>
/// Finds the print time a slicer wrote into its G-code while the upload streams past, holding one short line at a
/// time: PrusaSlicer's "; estimated printing time (normal mode) = 1h 2m 3s" (near the end) or Cura's ";TIME:3723".
/// </summary>
public sealed class GcodeTimeEstimate
{
    private const string PrusaKey = "; estimated printing time (normal mode) = ";
    private const string CuraKey = ";TIME:";
    // Comment lines worth reading are short; longer lines (thumbnails, configuration) are skipped, not held.
    private const int MaxLine = 160;

    /// <summary>Without an estimate in the file, a print takes one second per this many bytes of G-code.</summary>
    public const int FallbackBytesPerSecond = 200;

    private readonly byte[] _line = new byte[MaxLine];
    private int _length;
    private bool _overflow;

    public long Bytes { get; private set; }
    public TimeSpan? Found { get; private set; }

    /// <summary>The slicer's estimate, or the size heuristic (at least a minute).</summary>
    public TimeSpan Estimate => Found ?? TimeSpan.FromSeconds(Math.Max(60, Bytes / FallbackBytesPerSecond));

    public void Append(ReadOnlySpan<byte> chunk)
    {
        Bytes += chunk.Length;
        foreach (var b in chunk)
        {
            if (b == (byte)'\n')
            {
                if (!_overflow) Read(_line.AsSpan(0, _length));
                _length = 0;
                _overflow = false;
            }
            else if (_length < MaxLine)
            {
                _line[_length++] = b;
            }
            else
            {
                _overflow = true;
            }
        }
    }

    /// <summary>Reads a last line that had no newline.</summary>
    public void Complete()
    {
        if (!_overflow && _length > 0) Read(_line.AsSpan(0, _length));
        _length = 0;
    }

    public static TimeSpan? Parse(string gcode)
    {
        var scan = new GcodeTimeEstimate();
        scan.Append(Encoding.UTF8.GetBytes(gcode));
        scan.Complete();
        return scan.Found;
    }

    /// <summary>"1d 2h 3m 4s" (any subset); null when it is not that.</summary>
    public static TimeSpan? ParseDuration(ReadOnlySpan<char> text)
    {
        double seconds = 0;
        var any = false;
        foreach (var range in text.Trim().Split(' '))
        {
            var part = text.Trim()[range];
            if (part.Length == 0) continue;
            if (part.Length < 2 || !double.TryParse(part[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
                return null;
            var unit = part[^1] switch { 'd' => 86400, 'h' => 3600, 'm' => 60, 's' => 1, _ => 0 };
            if (unit == 0) return null;
            seconds += n * unit;
            any = true;
        }
        return any && seconds < TimeSpan.FromDays(365).TotalSeconds ? TimeSpan.FromSeconds(seconds) : null;
    }

    private void Read(ReadOnlySpan<byte> line)
    {
        if (line.Length == 0 || line[0] != (byte)';') return;
        Span<char> chars = stackalloc char[MaxLine];
        var n = Encoding.ASCII.GetChars(line, chars);
        var text = chars[..n].TrimEnd('\r');
        if (text.StartsWith(PrusaKey, StringComparison.Ordinal))
        {
            if (ParseDuration(text[PrusaKey.Length..]) is { } prusa) Found = prusa;
        }
        else if (Found is null && text.StartsWith(CuraKey, StringComparison.Ordinal)
            && int.TryParse(text[CuraKey.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var cura)
            && cura < TimeSpan.FromDays(365).TotalSeconds)
        {
            Found = TimeSpan.FromSeconds(cura);
        }
    }
}
