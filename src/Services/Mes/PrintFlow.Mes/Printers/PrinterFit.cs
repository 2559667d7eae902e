using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Which printers can print which job: the technology its materials need, every part inside the build volume with a
/// margin, and the material and colour loaded now. The first two are fixed facts of a printer (a job no printer can
/// ever hold is flagged); the loaded filament changes at the printer, so a job waits for it.
/// </summary>
public static class PrinterFit
{
    /// <summary>Null when <paramref name="printer"/> can print every item of the job as loaded now, else why not.</summary>
    public static string? WhyNot(Printer printer, IReadOnlyList<JobItem> items, double marginMm)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(items);
        if (CannotEverPrint(printer, items, marginMm) is { } never)
        {
            return never;
        }

        var materials = items.Select(i => i.Material).Distinct(StringComparer.Ordinal).ToList();
        if (materials.Count > 1)
        {
            return $"the job needs {string.Join(" and ", materials)}, and a print runs one material";
        }

        if (printer.Material != materials[0])
        {
            return $"{printer.Name} has {printer.Material ?? "no material"} loaded, the job needs {materials[0]}";
        }

        if (items.FirstOrDefault(i => i.Colour is not null && !string.Equals(i.Colour, printer.Colour, StringComparison.OrdinalIgnoreCase)) is { } coloured)
        {
            return $"{printer.Name} has {printer.Colour ?? "no colour"} loaded, the job needs {coloured.Colour}";
        }

        return null;
    }

    /// <summary>Null when some loading of material would let <paramref name="printer"/> print the job, else why never.</summary>
    public static string? CannotEverPrint(Printer printer, IReadOnlyList<JobItem> items, double marginMm)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(items);
        if (items.FirstOrDefault(i => Materials.TechnologyOf(i.Material) != printer.Technology) is { } other)
        {
            return $"{other.Material} needs an {Materials.TechnologyOf(other.Material)} printer; {printer.Name} is {printer.Technology}";
        }

        if (items.FirstOrDefault(i => i.SizeX is { } x && i.SizeY is { } y && i.SizeZ is { } z && !printer.Fits(x, y, z, marginMm)) is { } large)
        {
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{large.FileName} ({large.SizeX:0.#} × {large.SizeY:0.#} × {large.SizeZ:0.#} mm) is larger than {printer.Name}'s build volume ({printer.BuildX:0.#} × {printer.BuildY:0.#} × {printer.BuildZ:0.#} mm, {marginMm:0.#} mm margin)");
        }

        return null;
    }

    /// <summary>
    /// Why no printer of the farm can ever print the job, or null when one can. An empty farm (no printers registered
    /// yet) flags nothing: the floor then works without printer scheduling.
    /// </summary>
    public static string? WhyNoPrinter(IReadOnlyCollection<Printer> activePrinters, IReadOnlyList<JobItem> items, double marginMm)
    {
        ArgumentNullException.ThrowIfNull(activePrinters);
        if (activePrinters.Count == 0)
        {
            return null;
        }

        var reasons = new List<string>();
        foreach (var printer in activePrinters)
        {
            if (CannotEverPrint(printer, items, marginMm) is not { } reason)
            {
                return null;
            }

            reasons.Add(reason);
        }

        var largest = items.Where(i => i.SizeX is not null).MaxBy(i => Math.Max(i.SizeX!.Value, Math.Max(i.SizeY!.Value, i.SizeZ!.Value)));
        var technology = items.Select(i => Materials.TechnologyOf(i.Material)).Distinct().ToList();
        if (technology.Count > 1)
        {
            return $"The job mixes {string.Join(" and ", technology)} materials; no single printer runs both.";
        }

        if (!activePrinters.Any(p => p.Technology == technology[0]))
        {
            return $"No {technology[0]} printer is on the floor, and the job needs {string.Join(", ", items.Select(i => i.Material).Distinct())}.";
        }

        return largest is null
            ? $"No printer can print it: {reasons[0]}."
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Part {largest.FileName} ({largest.SizeX:0.#} × {largest.SizeY:0.#} × {largest.SizeZ:0.#} mm) does not fit the build volume of any {technology[0]} printer on the floor (with a {marginMm:0.#} mm margin).");
    }
}
