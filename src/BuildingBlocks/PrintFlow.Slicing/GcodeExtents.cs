using System.Globalization;

namespace PrintFlow.Slicing;

/// <summary>The XY rectangle a G-code extrudes in (absolute positioning), to check that an arranged plate stays on the bed.</summary>
public sealed record GcodeExtents(double MinX, double MaxX, double MinY, double MaxY)
{
    /// <summary>Reads G0/G1 moves with absolute E (<see cref="SlicerProfile"/> pins it): only moves that push filament count, so travel does not.</summary>
    public static GcodeExtents? ReadFile(string path)
    {
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        double x = 0, y = 0, e = 0;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.AsSpan();
            var comment = line.IndexOf(';');
            if (comment >= 0)
            {
                line = line[..comment];
            }

            if (line.StartsWith("G92 "))
            {
                e = 0; // PrusaSlicer only resets E to zero
                continue;
            }

            if (!line.StartsWith("G1 ") && !line.StartsWith("G0 "))
            {
                continue;
            }

            var extrudes = false;
            foreach (var range in line.Split(' '))
            {
                var word = line[range];
                if (word.Length < 2 || !double.TryParse(word[1..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                switch (word[0])
                {
                    case 'X': x = value; break;
                    case 'Y': y = value; break;
                    case 'E':
                        extrudes = value > e;
                        e = value;
                        break;
                }
            }

            if (extrudes)
            {
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }
        }

        return minX <= maxX ? new GcodeExtents(minX, maxX, minY, maxY) : null;
    }
}
