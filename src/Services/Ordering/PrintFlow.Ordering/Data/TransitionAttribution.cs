using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

/// <summary>
/// Records on each new transition which message caused it, from which service, and the trace id of the operation,
/// so the operations page can say "Pricing (pricing.price-calculated)" and link the trace.
/// </summary>
internal static class TransitionAttribution
{
    /// <summary>The cause of moves made by Ordering's own watchdog (quote expiry) rather than by a message.</summary>
    public const string Watchdog = "ordering.watchdog";

    /// <summary>
    /// At a save: the new transitions no message claimed (<see cref="OrderingDbContext.MessageHandled"/>) are the
    /// watchdog's (<paramref name="localCause"/>), or, when a handler's changes are saved without the endpoint (tests),
    /// the message whose inbox row commits with them.
    /// </summary>
    public static void Stamp(ChangeTracker tracker, string? localCause)
    {
        if (!tracker.Entries<OrderTransition>().Any(e => e.State == EntityState.Added && e.Entity.Cause is null))
        {
            return;
        }

        var cause = tracker.Entries<InboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Name).FirstOrDefault()
            ?? localCause ?? "ordering";
        Stamp(tracker.Entries<Order>().Select(e => e.Entity), cause);
    }

    /// <summary>Attributes the transitions of <paramref name="orders"/> that are new (not saved yet) and not attributed yet to <paramref name="cause"/>.</summary>
    public static void Stamp(IEnumerable<Order> orders, string cause)
    {
        var traceId = Activity.Current is { TraceId: var id } && id != default ? id.ToHexString() : null;
        foreach (var order in orders)
        {
            foreach (var transition in order.History)
            {
                // A saved transition has its key from the database; EF keeps temporary keys out of the entity.
                if (transition.Id == 0 && transition.Cause is null)
                {
                    transition.Attribute(cause, ServiceOf(cause, order.Channel), traceId);
                }
            }
        }
    }

    /// <summary>
    /// Which service sends a message Ordering applies: the channel for the customer's own requests (submit, confirm,
    /// cancel), Pricing for prices, MES for the factory's steps, Ordering itself for the watchdog.
    /// </summary>
    public static string ServiceOf(string cause, SalesChannel channel) => cause switch
    {
        _ when cause.StartsWith("pricing.", StringComparison.Ordinal) => "Pricing",
        _ when cause.StartsWith("manufacturing.", StringComparison.Ordinal) => "Mes",
        _ when cause.StartsWith("orders.", StringComparison.Ordinal) => channel == SalesChannel.Shop ? "Shop" : "Partners",
        _ => "Ordering",
    };
}
