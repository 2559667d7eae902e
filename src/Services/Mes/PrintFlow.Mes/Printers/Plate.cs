using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Printers;

public enum PlateState
{
    Printing,
    Finished,
    Failed,
}

/// <summary>
/// One build plate: the jobs printed together as one G-code on one printer (a single job is a plate of one). Its id is
/// the print's id, which the jobs and the printer point at; it settles once, finished or failed with the reason.
/// </summary>
public sealed class Plate
{
    public const int MaxReasonLength = 1000;

    private Plate() { }

    public long Id { get; private set; }

    /// <summary>The print's id (<see cref="ManufacturingJob.PrintId"/>, <see cref="Printer.CurrentPrintId"/>).</summary>
    public Guid PlateId { get; private set; }

    public Guid PrinterId { get; private set; }
    public string PrinterName { get; private set; } = "";
    public string Material { get; private set; } = "";
    public string? Colour { get; private set; }
    public string SlicerProfile { get; private set; } = "";
    public int JobCount { get; private set; }
    public int PartCount { get; private set; }

    /// <summary>The jobs' order numbers, for the floor and the log (the jobs themselves point at the plate).</summary>
    public string Orders { get; private set; } = "";

    /// <summary>The slicer's estimate of the whole plate, read from its G-code.</summary>
    public double PrintHours { get; private set; }

    public PlateState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SettledAt { get; private set; }
    public string? Reason { get; private set; }

    /// <summary>A plate of <paramref name="jobs"/> on <paramref name="printer"/>; every job must fit it (checked by the caller's fit rules).</summary>
    public static Plate Start(Guid plateId, Printer printer, IReadOnlyList<ManufacturingJob> jobs, double printHours, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0)
        {
            throw new JobRuleException("plate.empty", "A plate needs at least one job.");
        }

        if (jobs.SelectMany(j => j.Items).Any(i => i.Material != printer.Material))
        {
            throw new JobRuleException("plate.mixed-material", $"Every part on a plate is printed in the material loaded on {printer.Name}.");
        }

        return new Plate
        {
            PlateId = plateId,
            PrinterId = printer.PrinterId,
            PrinterName = printer.Name,
            Material = printer.Material ?? "",
            Colour = printer.Colour,
            SlicerProfile = printer.SlicerProfile,
            JobCount = jobs.Count,
            PartCount = jobs.SelectMany(j => j.Items).Sum(i => Math.Max(1, i.Quantity)),
            Orders = Clip(string.Join(", ", jobs.Select(j => j.OrderNumber)), 1000),
            PrintHours = double.IsFinite(printHours) && printHours >= 0 ? printHours : 0,
            State = PlateState.Printing,
            CreatedAt = now,
        };
    }

    public void Finish(DateTimeOffset now) => Settle(PlateState.Finished, null, now);

    public void Fail(string reason, DateTimeOffset now) => Settle(PlateState.Failed, Clip(reason, MaxReasonLength), now);

    private void Settle(PlateState state, string? reason, DateTimeOffset now)
    {
        if (State != PlateState.Printing)
        {
            throw new JobRuleException("plate.settled", $"The plate on {PrinterName} was already {State.ToString().ToLowerInvariant()}.");
        }

        State = state;
        Reason = reason;
        SettledAt = now;
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];
}
