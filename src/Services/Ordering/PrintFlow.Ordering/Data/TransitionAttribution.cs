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

    public static void Stamp(ChangeTracker tracker, string? localCause)
    {
        var added = tracker.Entries<OrderTransition>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToHashSet();
        if (added.Count == 0)
        {
            return;
        }

        // A handler's effect commits together with the inbox row of the message it handled: that row names the cause.
        var cause = tracker.Entries<InboxMessage>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.Name).FirstOrDefault()
            ?? localCause ?? "ordering";
        var traceId = Activity.Current is { TraceId: var id } && id != default ? id.ToHexString() : null;
        foreach (var order in tracker.Entries<Order>().Select(e => e.Entity))
        {
            foreach (var transition in order.History.Where(added.Contains))
            {
                transition.Attribute(cause, ServiceOf(cause, order.Channel), traceId);
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
