using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Mes.Data;

namespace PrintFlow.Mes.Printers;

/// <summary>One printer's card on the floor view: what it is, what it has loaded, what it prints and how far along.</summary>
public sealed record PrinterCard(Printer Printer, IReadOnlyList<string> CurrentOrders);

/// <summary>A waiting job no printer can print, with the reason.</summary>
public sealed record UnschedulableJob(Guid JobId, string OrderNumber, string Reason);

public sealed record FloorView(IReadOnlyList<PrinterCard> Printers, FarmSnapshot Farm, IReadOnlyList<UnschedulableJob> Unschedulable);

/// <summary>The floor view: every printer (retired ones last), the farm's utilisation and the jobs flagged as fitting no printer.</summary>
public sealed class FarmQuery(MesDbContext db, TimeProvider clock, IOptionsMonitor<FarmOptions> farm)
{
    public async Task<FloorView> FloorAsync(bool includeRetired, CancellationToken cancellationToken)
    {
        var printers = await db.Printers.AsNoTracking()
            .Where(p => includeRetired || p.State != PrinterState.Retired)
            .ToListAsync(cancellationToken);
        var printIds = printers.Where(p => p.CurrentPrintId != null).Select(p => p.CurrentPrintId).ToList();
        var orders = (await db.Jobs.AsNoTracking().Where(j => printIds.Contains(j.PrintId))
                .Select(j => new { j.PrintId, j.OrderNumber }).ToListAsync(cancellationToken))
            .ToLookup(j => j.PrintId, j => j.OrderNumber);
        var cards = printers
            .OrderBy(p => p.State == PrinterState.Retired).ThenBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Select(p => new PrinterCard(p, p.CurrentPrintId is null ? [] : orders[p.CurrentPrintId].ToList()))
            .ToList();
        // The stored reason is neutral English (it is compared and published); the reader gets it again in their language.
        var active = includeRetired ? printers.Where(p => p.IsActive).ToList() : printers;
        var flagged = (await db.Jobs.AsNoTracking().Include(j => j.Items)
                .Where(j => j.UnschedulableReason != null && j.AwaitingPrinter)
                .OrderBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.Id)
                .Take(50)
                .ToListAsync(cancellationToken))
            .Select(j => new UnschedulableJob(j.JobId, j.OrderNumber,
                PrinterFit.WhyNoPrinter(active, j.Items, farm.CurrentValue.FitMarginMm, CultureInfo.CurrentUICulture) ?? j.UnschedulableReason!))
            .ToList();
        return new FloorView(cards, await FarmMetrics.CountAsync(db, clock.GetUtcNow(), cancellationToken), flagged);
    }

    public Task<Printer?> FindAsync(Guid printerId, CancellationToken cancellationToken) =>
        db.Printers.AsNoTracking().FirstOrDefaultAsync(p => p.PrinterId == printerId, cancellationToken);
}
