using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// Ordering's and Shop's orders hold their items, quote (and Shop's history) as typed values that EF converts from the
/// same JSON text columns as before (JsonColumn), and Ordering's transitions through a read-only History: on both
/// providers they save, read back whole, take a later change, and the column holds the JSON the messaging serializer writes.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class OrderJsonColumnsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<DatabaseProvider> Providers() => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    private static readonly OrderItem Item = new(Guid.CreateVersion7(), new string('a', 64), "part.stl", 684, "PLA", 2);

    private static QuoteSummary Quote(decimal amount) => new(
        Guid.CreateVersion7(), amount, "EUR", "estimate", At.AddDays(7), [new QuoteLine("part.stl: PLA", amount)], []);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OrderingOrder_WhenSavedAndReadBack_KeepsItemsQuoteAndHistory(DatabaseProvider provider)
    {
        var ordering = ServiceSchemas.Find("ordering");
        await using var database = await TestDatabase.CreateAsync(provider, "ordering_json");
        await using (var connection = database.Connect())
        {
            await new SchemaMigrator(NullLogger.Instance).MigrateAsync(connection, provider, ordering.Migrations(provider), "ordering");
        }

        var customer = new CustomerRef("p-1", "Acme", "ops@acme.test", SalesChannel.Partner);
        var (order, _) = Order.Submit(new OrderSubmitted(Guid.CreateVersion7(), customer, [Item], LeadTime.Standard, null, 50m, At), At);
        order.StartPricing(At.AddMinutes(1));
        var quote = Quote(42.50m);
        order.RecordQuote(quote, At.AddMinutes(2));
        await using (var db = (OrderingDbContext)ordering.Create(provider, database.ConnectionString))
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
        }

        await using (var db = (OrderingDbContext)ordering.Create(provider, database.ConnectionString))
        {
            var stored = await db.Orders.Include(o => o.History).SingleAsync(o => o.Id == order.Id);
            Assert.Equal(Item, Assert.Single(stored.Items));
            Assert.Equal((quote.QuoteId, 42.50m, "part.stl: PLA"), (stored.Quote!.QuoteId, stored.Quote.Amount, Assert.Single(stored.Quote.Lines).Description));
            Assert.Equal([OrderStatus.Submitted, OrderStatus.PriceCalculating, OrderStatus.Quoted], stored.History.OrderBy(t => t.Id).Select(t => t.To));

            Assert.Equal(2, stored.AutoConfirm(At.AddMinutes(3)).Count);
            await db.SaveChangesAsync();
        }

        await using (var db = (OrderingDbContext)ordering.Create(provider, database.ConnectionString))
        {
            var stored = await db.Orders.Include(o => o.History).SingleAsync(o => o.Id == order.Id);
            Assert.Equal((OrderStatus.Confirmed, 4), (stored.Status, stored.History.Count));
        }

        Assert.Equal(JsonSerializer.Serialize(new[] { Item }, MessageSerializer.Options),
            await database.ScalarAsync($"SELECT \"ItemsJson\" FROM orders"));
        Assert.Equal(JsonSerializer.Serialize(quote, MessageSerializer.Options),
            await database.ScalarAsync($"SELECT \"QuoteJson\" FROM orders"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ShopOrder_WhenSavedAndReadBack_KeepsItemsQuoteAndHistory(DatabaseProvider provider)
    {
        var shop = ServiceSchemas.Find("shop");
        await using var database = await TestDatabase.CreateAsync(provider, "shop_json");
        await using (var connection = database.Connect())
        {
            await new SchemaMigrator(NullLogger.Instance).MigrateAsync(connection, provider, shop.Migrations(provider), "shop");
        }

        var customer = Customer.Register("ada@example.com", "Ada", At);
        var order = ShopOrder.Submit(customer, [Item], LeadTime.Standard, At);
        var quote = Quote(42.50m);
        await using (var db = (ShopDbContext)shop.Create(provider, database.ConnectionString))
        {
            db.Customers.Add(customer);
            db.Orders.Add(order);
            await db.SaveChangesAsync();
        }

        await using (var db = (ShopDbContext)shop.Create(provider, database.ConnectionString))
        {
            var stored = await db.Orders.SingleAsync(o => o.Id == order.Id);
            Assert.Equal(Item, Assert.Single(stored.Items));
            Assert.Equal(OrderStatus.Submitted, Assert.Single(stored.History).Status);
            Assert.True(stored.Apply(new OrderStatusChanged(order.Id, order.CustomerRef, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, At.AddMinutes(2), null, quote, [Item])));
            await db.SaveChangesAsync();
        }

        await using (var db = (ShopDbContext)shop.Create(provider, database.ConnectionString))
        {
            var stored = await db.Orders.SingleAsync(o => o.Id == order.Id);
            Assert.Equal([(0, OrderStatus.Submitted), (3, OrderStatus.Quoted)], stored.History.Select(h => (h.Version, h.Status)));
            Assert.Equal(quote.QuoteId, stored.Quote!.QuoteId);
            Assert.Equal(OrderStatus.Quoted, stored.Status);
        }

        Assert.Equal(JsonSerializer.Serialize(quote, MessageSerializer.Options),
            await database.ScalarAsync($"SELECT \"QuoteJson\" FROM orders"));
    }
}
