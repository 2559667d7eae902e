using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Ordering.Data;

/// <summary>
/// Turns the transitions a SaveChanges is about to commit into business metrics: the state entered, the time spent
/// in the state left, and the quote latency. Recorded after the commit, so a retried handler counts once.
/// </summary>
internal static class OrderTransitionMetrics
{
    private sealed record Observation(OrderStatus Entered, OrderStatus? Left, TimeSpan? Spent, TimeSpan? QuoteLatency);

    public static Action? Capture(ChangeTracker tracker, PrintFlowMetrics metrics)
    {
        var added = tracker.Entries<OrderTransition>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet();
        if (added.Count == 0)
        {
            return null;
        }

        var observations = new List<Observation>(added.Count);
        foreach (var entry in tracker.Entries<Order>().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            var order = entry.Entity;
            DateTimeOffset? since = entry.State == EntityState.Modified
                ? entry.OriginalValues.GetValue<DateTimeOffset>(nameof(Order.StatusSince))
                : null;
            foreach (var transition in order.History.Where(added.Contains))
            {
                observations.Add(new Observation(
                    transition.To,
                    transition.From,
                    transition.From is not null && since is { } start ? transition.At - start : null,
                    transition.To == OrderStatus.Quoted ? transition.At - order.SubmittedAt : null));
                since = transition.At;
            }
        }

        return () =>
        {
            foreach (var observation in observations)
            {
                metrics.OrderEntered(observation.Entered.ToString());
                if (observation is { Left: { } left, Spent: { } spent })
                {
                    metrics.OrderLeftState(left.ToString(), spent);
                }

                if (observation.QuoteLatency is { } latency)
                {
                    metrics.QuoteLatency(latency);
                }
            }
        };
    }
}
