using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// Which waiting jobs share a build plate with the job a printer takes next: those that fit the same printer (so the same
/// technology, material, colour and slicer profile) and are small, in queue order, while their footprints leave room.
/// </summary>
public static class PlateComposer
{
    /// <summary>Space PrusaSlicer's arrangement keeps between parts (its default), counted around every footprint.</summary>
    public const double SpacingMm = 6;

    /// <summary>
    /// The plate led by <paramref name="lead"/>: the lead alone when it is large or its size is unknown, else the lead
    /// and the first <paramref name="candidates"/> (in the order given) that fit <paramref name="printer"/> and the room left.
    /// </summary>
    public static IReadOnlyList<ManufacturingJob> Compose(
        Printer printer, ManufacturingJob lead, IEnumerable<ManufacturingJob> candidates, double marginMm, double fill, int maxJobs)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(candidates);
        List<ManufacturingJob> plate = [lead];
        var budget = fill * (printer.BuildX - 2 * marginMm) * (printer.BuildY - 2 * marginMm);
        if (Footprint(lead) is not { } used || used > budget / 2)
        {
            return plate; // a large part (or one of unknown size) prints alone
        }

        foreach (var job in candidates)
        {
            if (plate.Count >= maxJobs)
            {
                break;
            }

            if (job.JobId == lead.JobId || Footprint(job) is not { } area || used + area > budget || PrinterFit.WhyNot(printer, job.Items, marginMm) is not null)
            {
                continue;
            }

            plate.Add(job);
            used += area;
        }

        return plate;
    }

    /// <summary>The bed area a job's parts take with their spacing, in mm²; null when a part's size is unknown.</summary>
    public static double? Footprint(ManufacturingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        double area = 0;
        foreach (var item in job.Items)
        {
            if (item.SizeX is not { } x || item.SizeY is not { } y)
            {
                return null;
            }

            area += (x + SpacingMm) * (y + SpacingMm) * Math.Max(1, item.Quantity);
        }

        return area;
    }
}
