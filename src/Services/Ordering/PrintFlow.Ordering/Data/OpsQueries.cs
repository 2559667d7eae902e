using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

public sealed record StuckOrder(Guid Id, string Number, OrderStatus Status, DateTimeOffset Since, TimeSpan Deadline, int Redrives, string CustomerName);

public sealed record TimelineStep(OrderStatus Status, DateTimeOffset At, TimeSpan? Duration, string? Reason);

public sealed record OrderTimeline(Guid Id, string Number, OrderStatus Status, string CustomerName, SalesChannel Channel, decimal? QuoteAmount, IReadOnlyList<TimelineStep> Steps);

/// <summary>What the operations page asks of Ordering's own tables.</summary>
public sealed class OpsQueries(OrderingDbContext db, IOptions<OrderingOptions> options, TimeProvider clock)
{
    public async Task<Dictionary<OrderStatus, int>> CountsAsync(CancellationToken cancellationToken) =>
        await db.Orders.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    public async Task<IReadOnlyList<StuckOrder>> StuckAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stuck = new List<StuckOrder>();
        foreach (var (status, deadline) in options.Value.Deadlines)
        {
            stuck.AddRange(await db.Orders.AsNoTracking().StuckIn(status, deadline, now)
                .OrderBy(o => o.StatusSince).Take(50)
                .Select(o => new StuckOrder(o.Id, o.Number, o.Status, o.StatusSince, deadline, o.Redrives, o.CustomerName))
                .ToListAsync(cancellationToken));
        }

        return [.. stuck.OrderBy(s => s.Since)];
    }

    /// <summary>An order by number (PF-…) or id, with how long it spent in each state.</summary>
    public async Task<OrderTimeline?> TimelineAsync(string numberOrId, CancellationToken cancellationToken)
    {
        var key = numberOrId.Trim();
        var order = Guid.TryParse(key, out var id)
            ? await db.Orders.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Id == id, cancellationToken)
            : await db.Orders.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Number == key.ToUpperInvariant(), cancellationToken);
        if (order is null)
        {
            return null;
        }

        var history = order.History.OrderBy(t => t.Id).ToList();
        var now = clock.GetUtcNow();
        var steps = history.Select((t, i) => new TimelineStep(
            t.To,
            t.At,
            i + 1 < history.Count ? history[i + 1].At - t.At : OrderLifecycle.IsTerminal(t.To) ? null : now - t.At,
            t.Reason)).ToList();
        return new OrderTimeline(order.Id, order.Number, order.Status, order.CustomerName, order.Channel, order.QuoteAmount, steps);
    }
}
