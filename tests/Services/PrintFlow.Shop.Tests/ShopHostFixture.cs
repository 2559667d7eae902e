using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

/// <summary>The shared host fixture with a small model limit; every test signs up its own customer, so tests do not see each other's orders.</summary>
public sealed class ShopHostFixture : PrintFlowHostFixture
{
    public const long MaxModelBytes = 64 * 1024;

    // These tests cover the sign-in-first storefront and orders; the instant quote has its own fixture (CartHostFixture).
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["PrintFlow:MaxModelBytes"] = MaxModelBytes.ToString(),
        ["FeatureManagement:ShopInstantQuote"] = "false",
    };
}

internal static class ShopData
{
    public static async Task<T> WithDbAsync<T>(this PrintFlowHost host, Func<ShopDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<ShopDbContext>());
    }

    public static Task<List<OutboxMessage>> OutboxAsync(this PrintFlowHost host, Func<OutboxMessage, bool> filter) =>
        host.WithDbAsync(async db => (await db.Outbox.AsNoTracking().ToListAsync()).Where(filter).ToList());

    public static Task<ShopOrder?> OrderAsync(this PrintFlowHost host, Guid id) =>
        host.WithDbAsync(db => db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id));

    /// <summary>An order placed directly in the shop's database: no other service knows it, so only the test moves it.</summary>
    public static Task<ShopOrder> SeedOrderAsync(this PrintFlowHost host, string email) =>
        host.WithDbAsync(async db =>
        {
            var customer = await db.Customers.SingleAsync(c => c.Email == email);
            var item = new OrderItem(Guid.CreateVersion7(), new string('a', 64), "bracket.stl", 684, "PLA", 2);
            var order = ShopOrder.Submit(customer, [item], LeadTime.Standard, DateTimeOffset.UtcNow);
            db.Orders.Add(order);
            await db.SaveChangesAsync();
            return order;
        });

    public static QuoteSummary Quote(decimal amount) => new(
        Guid.NewGuid(), amount, "EUR", "instant", DateTimeOffset.UtcNow.AddDays(7),
        [new QuoteLine("Material and print time", amount - 5m), new QuoteLine("Handling", 5m)], []);

    public static OrderStatusChanged Status(ShopOrder order, OrderStatus status, int version, QuoteSummary? quote = null, string? reason = null) =>
        new(order.Id, order.CustomerRef, status, null, version, DateTimeOffset.UtcNow, reason, quote, order.Items);
}
