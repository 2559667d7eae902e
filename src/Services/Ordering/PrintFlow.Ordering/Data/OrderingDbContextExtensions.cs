using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

internal static class OrderingDbContextExtensions
{
    /// <summary>The order a message is about. A message for an order Ordering never saw is retried: its submission may still be on its way.</summary>
    public static async Task<Order> FindOrderAsync(this OrderingDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken)
        ?? throw new PrintFlow.Messaging.MessageOutOfOrderException($"Order {OrderNumber.From(orderId)} is not known (yet).");
}
