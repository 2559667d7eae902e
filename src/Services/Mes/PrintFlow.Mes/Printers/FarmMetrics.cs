using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Mes.Data;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Mes.Printers;

/// <summary>The farm at one moment: printers per utilisation class and per state, and how long each down printer has been down.</summary>
public sealed record FarmSnapshot(
    IReadOnlyDictionary<string, int> Utilisation, IReadOnlyDictionary<string, int> States, IReadOnlyDictionary<string, double> DownSeconds);

/// <summary>
/// <c>printflow_farm_printers{utilisation}</c> (busy, idle_with_work, idle_without_work, down: active printers, not in
/// maintenance), <c>printflow_printers{state}</c>, <c>printflow_farm_longest_down_seconds</c> (the printer down longest,
/// for the alert; the floor view names it) and <c>printflow_prints_total{outcome}</c>, as of the monitor's last round.
/// </summary>
public sealed class FarmMetrics : IMetricsSource
{
    public static readonly IReadOnlyList<string> Classes = ["busy", "idle_with_work", "idle_without_work", "down"];
    private readonly Counter<long> _prints;
    private volatile FarmSnapshot _snapshot = new(new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, double>());

    public FarmMetrics(PrintFlowMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _prints = metrics.Meter.CreateCounter<long>("printflow.prints", "{print}",
            "Prints settled by MES, by outcome: finished (jobs moved to post-processing), failed (jobs back in the queue), refused (the printer did not take the upload).");
        metrics.Meter.CreateObservableGauge("printflow.farm.printers", () => Classes.Select(c =>
                new Measurement<int>(_snapshot.Utilisation.GetValueOrDefault(c), new KeyValuePair<string, object?>("utilisation", c))),
            "{printer}", "Active printers (not retired or in maintenance) by utilisation: busy, idle with work waiting that fits, idle without work, down (error or offline).");
        metrics.Meter.CreateObservableGauge("printflow.printers", () => Enum.GetNames<PrinterState>().Where(s => s != nameof(PrinterState.Retired)).Select(s =>
                new Measurement<int>(_snapshot.States.GetValueOrDefault(s), new KeyValuePair<string, object?>("state", s.ToLowerInvariant()))),
            "{printer}", "Printers in each state.");
        metrics.Meter.CreateObservableGauge("printflow.farm.longest_down", () => _snapshot.DownSeconds.Values.DefaultIfEmpty(0).Max(),
            "s", "How long the printer down the longest (in error or offline) has been down; 0 when every printer answers.");
    }

    public FarmSnapshot Current => _snapshot;

    public void Observe(FarmSnapshot snapshot) => _snapshot = snapshot;

    public void PrintSettled(string outcome) => _prints.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts the farm: one query for the printers, one per idle printer for fitting work by material.</summary>
    public static async Task<FarmSnapshot> CountAsync(MesDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var printers = await db.Printers.AsNoTracking().Where(p => p.State != PrinterState.Retired).ToListAsync(cancellationToken);
        var utilisation = Classes.ToDictionary(c => c, _ => 0);
        var waitingMaterials = await db.Jobs.AsNoTracking()
            .Where(j => j.AwaitingPrinter && j.UnschedulableReason == null
                        && (j.Stage == OrderStatus.ManufacturingApproved || j.Stage == OrderStatus.Printing))
            .SelectMany(j => j.Items.Select(i => i.Material)).Distinct().ToListAsync(cancellationToken);
        foreach (var printer in printers.Where(p => p.State != PrinterState.Maintenance))
        {
            var key = printer.State switch
            {
                PrinterState.Printing or PrinterState.Paused => "busy",
                PrinterState.Error or PrinterState.Offline => "down",
                _ when printer.Material is { } m && waitingMaterials.Contains(m) => "idle_with_work",
                _ => "idle_without_work",
            };
            utilisation[key]++;
        }

        var states = printers.GroupBy(p => p.State.ToString()).ToDictionary(g => g.Key, g => g.Count());
        var down = printers.ToDictionary(p => p.Name, p => p.State is PrinterState.Error or PrinterState.Offline
            ? Math.Max(0, (now - p.StateSince).TotalSeconds)
            : 0);
        return new FarmSnapshot(utilisation, states, down);
    }
}
