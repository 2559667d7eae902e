using System.Globalization;

namespace PrintFlow.Geometry.IO;

internal static class Utf8Numbers
{
    private const NumberStyles Style = NumberStyles.Float;

    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, Style, CultureInfo.InvariantCulture, out value);

    public static bool TryParseLong(ReadOnlySpan<byte> text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
