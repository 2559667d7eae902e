using System.Globalization;
using System.Text;

namespace PrintFlow.Slicing;

/// <summary>Reads the statistics PrusaSlicer writes as comments near the end of its G-code.</summary>
public static class GcodeStatistics
{
    // The statistics sit just before the embedded configuration (~30 KB), so the tail is enough and
    // a G-code of hundreds of MB is never read whole.
    private const int TailBytes = 256 * 1024;

    public static SliceResult ReadFile(string gcodePath)
    {
        using var file = File.OpenRead(gcodePath);
        if (file.Length > TailBytes) file.Seek(-TailBytes, SeekOrigin.End);
        using var reader = new StreamReader(file, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    public static SliceResult Parse(string gcodeTail)
    {
        double? cm3 = null, grams = null, hours = null;
        foreach (var raw in gcodeTail.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (!line.StartsWith("; ")) continue;
            var eq = line.IndexOf(" = ");
            if (eq < 0) continue;
            var key = line[2..eq];
            var value = line[(eq + 3)..];
            if (key.SequenceEqual("filament used [cm3]")) cm3 = SumNumbers(value);
            else if (key.SequenceEqual("filament used [g]")) grams = SumNumbers(value);
            else if (key.SequenceEqual("estimated printing time (normal mode)")) hours = ParseDuration(value).TotalHours;
        }
        if (cm3 is null || hours is null)
            throw new SlicerException(SlicerException.Failed, "PrusaSlicer produced G-code without material and time statistics; the profile may disable them.", "no-statistics");
        return new SliceResult(cm3.Value, grams ?? 0, hours.Value);
    }

    /// <summary>"1d 2h 3m 4s" (any subset) as a duration.</summary>
    public static TimeSpan ParseDuration(ReadOnlySpan<char> text)
    {
        double seconds = 0;
        foreach (var range in text.Split(' '))
        {
            var part = text[range];
            if (part.Length < 2) continue;
            if (!double.TryParse(part[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                throw new SlicerException(SlicerException.Failed, $"PrusaSlicer reported a print time '{text}' that cannot be read.", "bad-time", text.ToString());
            seconds += part[^1] switch { 'd' => n * 86400, 'h' => n * 3600, 'm' => n * 60, 's' => n, _ => 0 };
        }
        return TimeSpan.FromSeconds(seconds);
    }

    // With several extruders PrusaSlicer lists one value per extruder, comma-separated.
    private static double SumNumbers(ReadOnlySpan<char> text)
    {
        double sum = 0;
        foreach (var range in text.Split(','))
            if (double.TryParse(text[range].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) sum += n;
        return sum;
    }
}
