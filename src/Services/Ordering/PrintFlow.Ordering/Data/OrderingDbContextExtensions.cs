using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

internal static class OrderingDbContextExtensions
{
    /// <summary>
    /// Compiled once: nearly every message Ordering handles starts here, and a LINQ query is looked up in EF's query
    /// cache on every call, which means walking and hashing its expression tree first (bench/queries.sh measures both).
    /// </summary>
    internal static readonly CompiledQuery<Func<OrderingDbContext, Guid, CancellationToken, Task<Order?>>> OrderById = new(() =>
        EF.CompileAsyncQuery((OrderingDbContext db, Guid orderId, CancellationToken _) => db.Orders.FirstOrDefault(o => o.Id == orderId)));

    /// <summary>
    /// The order a message is about, or null when Ordering does not have it: the one already tracked (a batch loaded
    /// it), else read unless the batch looked for it already (<see cref="ServiceDbContext.WasPreloaded{TEntity}"/>).
    /// </summary>
    public static async Task<Order?> FindOrderOrNullAsync(this OrderingDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.FindOrderRowAsync(orderId, () => OrderById.For(db)(db, orderId, cancellationToken));

    /// <summary>
    /// The order a message is about (<see cref="FindOrderOrNullAsync"/>). A message for an order Ordering never saw
    /// is retried: its submission may still be on its way.
    /// </summary>
    public static async Task<Order> FindOrderAsync(this OrderingDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.FindOrderOrNullAsync(orderId, cancellationToken)
        ?? throw new MessageOutOfOrderException($"Order {OrderNumber.From(orderId)} is not known (yet).");
}
