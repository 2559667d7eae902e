using System.Text.Json;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Printers;

/// <summary>Why a print was not sliced, in the reader's language: the sentence <c>Slicer.&lt;reason&gt;</c> of MesStrings, else the slicer's English.</summary>
public static class SlicerText
{
    public static string Of(Slicing.SlicerException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return Of(failure.Reason, failure.Arguments, failure.Message);
    }

    /// <param name="arguments">A JSON array of strings, as a printer stores it.</param>
    public static string Of(string? reason, string? arguments, string? english)
    {
        string[] values;
        try
        {
            values = arguments is null ? [] : JsonSerializer.Deserialize<string[]>(arguments) ?? [];
        }
        catch (JsonException)
        {
            return english ?? "";
        }

        return Of(reason, values, english);
    }

    private static string Of(string? reason, IReadOnlyList<string> arguments, string? english)
    {
        if (reason is null || Texts.Find<MesStrings>($"Slicer.{reason}") is null)
        {
            return english ?? "";
        }

        try
        {
            return Texts.Get<MesStrings>($"Slicer.{reason}", [.. arguments]);
        }
        catch (FormatException)
        {
            return english ?? ""; // fewer values than the sentence names: an older row or a changed sentence
        }
    }
}
