using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Data;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Ordering.Watchdog;

/// <summary>
/// <c>printflow_orders_stuck{state}</c> (orders past their state's deadline: what the ops page lists and the
/// watchdog re-drives) and <c>printflow_orders_in_state{state}</c>, counted with indexed queries and cached briefly.
/// </summary>
public sealed class OrderStateGauges : IMetricsSource
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly IServiceScopeFactory _scopes;
    private readonly OrderingOptions _options;
    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private (DateTimeOffset At, Dictionary<OrderStatus, long> Stuck, Dictionary<OrderStatus, long> InState)? _cached;

    public OrderStateGauges(PrintFlowMetrics metrics, IServiceScopeFactory scopes, IOptions<OrderingOptions> options, TimeProvider clock)
    {
        _scopes = scopes;
        _options = options.Value;
        _clock = clock;
        metrics.Meter.CreateObservableGauge("printflow.orders.stuck", () => Observe(s => s.Stuck), "{order}",
            "Orders past their state's deadline (Ordering:Deadlines), by state.");
        metrics.Meter.CreateObservableGauge("printflow.orders.in_state", () => Observe(s => s.InState), "{order}",
            "Orders currently in each state.");
    }

    private IEnumerable<Measurement<long>> Observe(Func<(Dictionary<OrderStatus, long> Stuck, Dictionary<OrderStatus, long> InState), Dictionary<OrderStatus, long>> pick)
    {
        var snapshot = Refresh();
        return snapshot is null
            ? []
            : pick(snapshot.Value).Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("state", pair.Key.ToString()))).ToList();
    }

    private (Dictionary<OrderStatus, long> Stuck, Dictionary<OrderStatus, long> InState)? Refresh()
    {
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            if (_cached is { } cached && now - cached.At < CacheFor)
            {
                return (cached.Stuck, cached.InState);
            }

            try
            {
                using var scope = _scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
                var stuck = new Dictionary<OrderStatus, long>();
                foreach (var (status, deadline) in _options.Deadlines)
                {
                    stuck[status] = db.Orders.AsNoTracking().StuckIn(status, deadline, now).LongCount();
                }

                var inState = Enum.GetValues<OrderStatus>().ToDictionary(s => s, _ => 0L);
                foreach (var group in db.Orders.AsNoTracking().GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToList())
                {
                    inState[group.Key] = group.Count;
                }

                _cached = (now, stuck, inState);
                return (stuck, inState);
            }
            catch (Exception exception) when (exception is InvalidOperationException or System.Data.Common.DbException)
            {
                return _cached is { } last ? (last.Stuck, last.InState) : null; // schema not ready yet, or the database is down
            }
        }
    }
}
