using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

public sealed record StuckOrder(Guid Id, string Number, OrderStatus Status, DateTimeOffset Since, TimeSpan Deadline, int Redrives, string CustomerName);

/// <param name="Cause">The message that made the move (<c>pricing.price-calculated</c>), <c>ordering.watchdog</c>, or null for moves recorded before causes were.</param>
/// <param name="CausedBy">The service that sent <paramref name="Cause"/>.</param>
/// <param name="TraceId">The W3C trace id of the operation that made the move.</param>
public sealed record TimelineStep(OrderStatus Status, DateTimeOffset At, TimeSpan? Duration, string? Reason, string? Cause, string? CausedBy, string? TraceId);

/// <summary>Orders that entered <paramref name="Status"/> in the last 5, 15 and 60 minutes.</summary>
public sealed record Throughput(OrderStatus Status, int Last5, int Last15, int Last60)
{
    public static readonly int[] Windows = [5, 15, 60];

    /// <summary>Orders per minute over the window of <paramref name="minutes"/>.</summary>
    public double PerMinute(int minutes) => minutes switch
    {
        5 => Last5 / 5.0,
        15 => Last15 / 15.0,
        60 => Last60 / 60.0,
        _ => throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "Throughput is kept for 5, 15 and 60 minutes."),
    };
}

/// <summary>How long orders stayed in <paramref name="Status"/> before leaving it, over <paramref name="Orders"/> stays.</summary>
public sealed record TimeInState(OrderStatus Status, int Orders, TimeSpan Average, TimeSpan Longest);

public sealed record OrderTimeline(Guid Id, string Number, OrderStatus Status, string CustomerName, SalesChannel Channel, decimal? QuoteAmount, IReadOnlyList<TimelineStep> Steps);

/// <summary>What the operations page asks of Ordering's own tables.</summary>
public sealed class OpsQueries(OrderingDbContext db, IOptions<OrderingOptions> options, TimeProvider clock)
{
    public async Task<Dictionary<OrderStatus, int>> CountsAsync(CancellationToken cancellationToken) =>
        await db.Orders.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

    /// <summary>
    /// Orders entering each state over the last hour, from Ordering's transition history: one range over the
    /// (At, To) index, never a scan of all history. States with no move in the hour are left out.
    /// </summary>
    public async Task<IReadOnlyList<Throughput>> ThroughputAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (since5, since15, since60) = (now.AddMinutes(-5), now.AddMinutes(-15), now.AddMinutes(-60));
        var rows = await db.Transitions.AsNoTracking()
            .Where(t => t.At >= since60)
            .GroupBy(t => t.To)
            .Select(g => new Throughput(g.Key, g.Count(t => t.At >= since5), g.Count(t => t.At >= since15), g.Count()))
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Status)];
    }

    /// <summary>The most moves <see cref="TimeInStateAsync"/> reads: the page stays fast on a busy day, from the newest.</summary>
    public const int MaxMovesForTimeInState = 20_000;

    /// <summary>
    /// How long orders stayed in each state, from pairs of consecutive moves of one order in the last 24 hours (a range
    /// over the (At, To) index, at most <see cref="MaxMovesForTimeInState"/> moves).
    /// </summary>
    public async Task<IReadOnlyList<TimeInState>> TimeInStateAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddHours(-24);
        var moves = await db.Transitions.AsNoTracking()
            .Where(t => t.At >= since)
            .OrderByDescending(t => t.Id).Take(MaxMovesForTimeInState)
            .Select(t => new { t.OrderId, t.Id, t.To, t.At })
            .ToListAsync(cancellationToken);
        var stays = moves.GroupBy(m => m.OrderId)
            .SelectMany(order =>
            {
                var ordered = order.OrderBy(m => m.Id).ToList();
                return ordered.Zip(ordered.Skip(1), (entered, left) => (entered.To, Duration: left.At - entered.At));
            });
        return [.. stays.GroupBy(s => s.To)
            .Select(g => new TimeInState(g.Key, g.Count(), TimeSpan.FromTicks((long)g.Average(s => s.Duration.Ticks)), g.Max(s => s.Duration)))
            .OrderBy(t => t.Status)];
    }

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
        var number = key.ToUpperInvariant();
        var order = Guid.TryParse(key, out var id)
            ? await db.Orders.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Id == id, cancellationToken)
            : await db.Orders.AsNoTracking().Include(o => o.History).FirstOrDefaultAsync(o => o.Number == number, cancellationToken);
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
            t.Reason,
            t.Cause,
            t.CausedBy,
            t.TraceId)).ToList();
        return new OrderTimeline(order.Id, order.Number, order.Status, order.CustomerName, order.Channel, order.QuoteAmount, steps);
    }
}
