using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

internal static class OrderQueries
{
    /// <summary>
    /// The one definition of "stuck" that the watchdog, the operations page and the stuck-orders gauge share: in
    /// <paramref name="status"/> for longer than that state's <paramref name="deadline"/>.
    /// </summary>
    public static IQueryable<Order> StuckIn(this IQueryable<Order> orders, OrderStatus status, TimeSpan deadline, DateTimeOffset now)
    {
        var before = now - deadline;
        return orders.Where(o => o.Status == status && o.StatusSince < before);
    }
}
