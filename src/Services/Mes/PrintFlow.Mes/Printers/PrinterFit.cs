using System.Globalization;
using PrintFlow.Mes.Domain;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Which printers can print which job: the technology its materials need, every part inside the build volume with a
/// margin, and the material and colour loaded now. The first two are fixed facts of a printer (a job no printer can
/// ever hold is flagged); the loaded filament changes at the printer, so a job waits for it. Reasons are written in
/// <c>language</c>: the neutral English (invariant culture, the default) where they are stored and compared, the
/// reader's where they are shown.
/// </summary>
public static class PrinterFit
{
    /// <summary>Null when <paramref name="printer"/> can print every item of the job as loaded now, else why not.</summary>
    public static string? WhyNot(Printer printer, IReadOnlyList<JobItem> items, double marginMm, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(items);
        if (CannotEverPrint(printer, items, marginMm, language) is { } never)
        {
            return never;
        }

        var materials = items.Select(i => i.Material).Distinct(StringComparer.Ordinal).ToList();
        if (materials.Count > 1)
        {
            return Text(language, "Fit.OneMaterial", string.Join(Text(language, "Fit.And"), materials));
        }

        if (printer.Material != materials[0])
        {
            return Text(language, "Fit.Material", printer.Name, printer.Material ?? Text(language, "Printer.NoMaterial"), materials[0]);
        }

        if (items.FirstOrDefault(i => i.Colour is not null && !string.Equals(i.Colour, printer.Colour, StringComparison.OrdinalIgnoreCase)) is { Colour: { } wanted })
        {
            var culture = language ?? CultureInfo.InvariantCulture;
            return Text(culture, "Fit.Colour", printer.Name,
                printer.Colour is null ? Text(culture, "Fit.NoColour") : ColourNames.Of(printer.Colour, culture), ColourNames.Of(wanted, culture));
        }

        return null;
    }

    /// <summary>Null when some loading of material would let <paramref name="printer"/> print the job, else why never.</summary>
    public static string? CannotEverPrint(Printer printer, IReadOnlyList<JobItem> items, double marginMm, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(items);
        if (items.FirstOrDefault(i => Materials.TechnologyOf(i.Material) != printer.Technology) is { } other)
        {
            return Text(language, "Fit.Technology", other.Material, Materials.TechnologyOf(other.Material), printer.Name, printer.Technology);
        }

        if (items.FirstOrDefault(i => i.SizeX is { } x && i.SizeY is { } y && i.SizeZ is { } z && !printer.Fits(x, y, z, marginMm)) is { } large)
        {
            return Text(language, "Fit.TooLarge", large.FileName, large.SizeX, large.SizeY, large.SizeZ, printer.Name, printer.BuildX, printer.BuildY, printer.BuildZ, marginMm);
        }

        return null;
    }

    /// <summary>
    /// Why no printer of the farm can ever print the job, or null when one can. An empty farm (no printers registered
    /// yet) flags nothing: the floor then works without printer scheduling.
    /// </summary>
    public static string? WhyNoPrinter(IReadOnlyCollection<Printer> activePrinters, IReadOnlyList<JobItem> items, double marginMm, CultureInfo? language = null)
    {
        ArgumentNullException.ThrowIfNull(activePrinters);
        if (activePrinters.Count == 0)
        {
            return null;
        }

        var reasons = new List<string>();
        foreach (var printer in activePrinters)
        {
            if (CannotEverPrint(printer, items, marginMm, language) is not { } reason)
            {
                return null;
            }

            reasons.Add(reason);
        }

        var largest = items.Where(i => i.SizeX is not null).MaxBy(i => Math.Max(i.SizeX!.Value, Math.Max(i.SizeY!.Value, i.SizeZ!.Value)));
        var technology = items.Select(i => Materials.TechnologyOf(i.Material)).Distinct().ToList();
        if (technology.Count > 1)
        {
            return Text(language, "Fit.MixedTechnologies", string.Join(Text(language, "Fit.And"), technology));
        }

        if (!activePrinters.Any(p => p.Technology == technology[0]))
        {
            return Text(language, "Fit.NoTechnology", technology[0], string.Join(", ", items.Select(i => i.Material).Distinct()));
        }

        return largest is null
            ? Text(language, "Fit.NoPrinter", reasons[0])
            : Text(language, "Fit.FitsNoPrinter", largest.FileName, largest.SizeX, largest.SizeY, largest.SizeZ, technology[0], marginMm);
    }

    private static string Text(CultureInfo? language, string key, params object?[] arguments) =>
        Texts.In<MesStrings>(language ?? CultureInfo.InvariantCulture, key, arguments);
}
