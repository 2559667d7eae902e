using System.Globalization;
using Microsoft.AspNetCore.Http;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Printers;

/// <summary>The add/edit form as posted; numbers parse with either decimal separator.</summary>
public sealed record PrinterForm(
    string? Name, string? Technology, string? Model, string? SlicerProfile, string? BuildX, string? BuildY, string? BuildZ,
    string? NozzleMm, string? Material, string? Colour, string? BaseUrl, string? ApiKey)
{
    public static PrinterForm From(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new(form["name"], form["technology"], form["model"], form["slicerProfile"], form["buildX"], form["buildY"], form["buildZ"],
            form["nozzleMm"], form["material"], form["colour"], form["baseUrl"], form["apiKey"]);
    }

    /// <summary>The description, or the first field that is not a number.</summary>
    public (PrinterSpec? Spec, string? Refusal) ToSpec()
    {
        if (Number(BuildX) is not { } x || Number(BuildY) is not { } y || Number(BuildZ) is not { } z)
        {
            return (null, Texts.Get<MesStrings>("Printer.BuildVolumeNumbers"));
        }

        double? nozzle = null;
        if (!string.IsNullOrWhiteSpace(NozzleMm))
        {
            if (Number(NozzleMm) is not { } n)
            {
                return (null, Texts.Get<MesStrings>("Printer.NozzleNumber"));
            }

            nozzle = n;
        }

        return (new PrinterSpec(Name ?? "", Technology ?? "", Model ?? "", SlicerProfile ?? "", x, y, z, nozzle, Material, Colour), null);
    }

    private static double? Number(string? text) =>
        text is { Length: > 0 and <= 20 } && double.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
