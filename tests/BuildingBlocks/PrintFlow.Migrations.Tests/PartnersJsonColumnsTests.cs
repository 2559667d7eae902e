using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// A partner order's items, quote, refused request and history are JSON columns that Partners maps as plain values
/// (JsonColumn), where EF's owned-entity mapping wrote them before: rows written that way read back whole, and what
/// is written now keeps each provider's format (times as ISO text on PostgreSQL, as UTC ticks on SQLite).
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class PartnersJsonColumnsTests
{
    private static readonly Guid PartnerId = Guid.Parse("0190e6a8-0000-7000-8000-0000000000bb");
    private static readonly Guid OrderId = Guid.Parse("0190e6a8-0000-7000-8000-000000000011");
    private static readonly Guid ItemId = Guid.Parse("0190e6a8-0000-7000-8000-000000000021");
    private static readonly Guid QuoteId = Guid.Parse("0190e6a8-0000-7000-8000-000000000031");
    private static readonly DateTimeOffset Submitted = new(2026, 11, 30, 9, 15, 0, 123, TimeSpan.Zero);

    public static TheoryData<DatabaseProvider> Providers() => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Order_WrittenByTheOwnedEntityMapping_ReadsBackWholeAndKeepsItsFormatWhenSavedAgain(DatabaseProvider provider)
    {
        var partners = ServiceSchemas.Find("partners");
        await using var database = await TestDatabase.CreateAsync(provider, "partners_json");
        await using (var connection = database.Connect())
        {
            await new SchemaMigrator(NullLogger.Instance).MigrateAsync(connection, provider, partners.Streams(provider), "partners");
        }

        var sql = new ProviderLiterals(provider);
        // The JSON as EF's owned-entity mapping wrote it (PostgreSQL: copied from a deployment's row).
        await database.ExecuteAsync(
            $"""
            INSERT INTO partner_orders ("Id", "PartnerId", "OrderNumber", "Status", "Version", "LeadTime", "CreatedAt",
                "UpdatedAt", "SortKey", "Resends", "LastSentAt", items, quote, message, history)
            VALUES ({sql.Id(OrderId)}, {sql.Id(PartnerId)}, '{OrderNumber.From(OrderId)}', 'Quoted', 3, 'Standard', {sql.At(Submitted)},
                {sql.At(Submitted)}, 'k{OrderId:N}', 0, {sql.At(Submitted)},
                '[{"{"}"ItemId": "{ItemId}", "FileName": "cube.stl", "Material": "PLA", "Quantity": 2, "SizeBytes": 684, "ModelSha256": "{new string('b', 64)}"{"}"}]',
                '{"{"}"Mode": "estimate", "Lines": [{"{"}"Amount": 3.50, "Description": "Setup fee (once per order)"{"}"}, {"{"}"Amount": 5.00, "Description": "cube.stl: PLA"{"}"}], "Amount": 8.50, "QuoteId": "{QuoteId}", "Currency": "EUR", "ValidUntil": {sql.JsonAt(Submitted.AddDays(7))}{"}"}',
                '{"{"}"At": {sql.JsonAt(Submitted.AddSeconds(5))}, "Code": "order.quote-expired", "Reason": "The quote expired.", "Command": "Confirm"{"}"}',
                '[{"{"}"At": {sql.JsonAt(Submitted)}, "Reason": null, "Status": "Submitted", "Version": 1{"}"}, {"{"}"At": {sql.JsonAt(Submitted.AddSeconds(1))}, "Reason": null, "Status": "Quoted", "Version": 3{"}"}]')
            """);

        await using (var db = (PartnersDbContext)partners.Create(provider, database.ConnectionString))
        {
            var order = await db.Orders.SingleAsync(o => o.Id == OrderId);
            var item = Assert.Single(order.Items);
            Assert.Equal((ItemId, "cube.stl", "PLA", 2, 684L, new string('b', 64)),
                (item.ItemId, item.FileName, item.Material, item.Quantity, item.SizeBytes, item.ModelSha256));
            Assert.NotNull(order.Quote);
            Assert.Equal((QuoteId, 8.50m, "EUR", "estimate", Submitted.AddDays(7)),
                (order.Quote.QuoteId, order.Quote.Amount, order.Quote.Currency, order.Quote.Mode, order.Quote.ValidUntil));
            Assert.Equal([("Setup fee (once per order)", 3.50m), ("cube.stl: PLA", 5.00m)], order.Quote.Lines.Select(l => (l.Description, l.Amount)));
            Assert.NotNull(order.Message);
            Assert.Equal(("Confirm", "order.quote-expired", "The quote expired.", Submitted.AddSeconds(5)),
                (order.Message.Command, order.Message.Code, order.Message.Reason, order.Message.At));
            Assert.Equal([(1, OrderStatus.Submitted, Submitted), (3, OrderStatus.Quoted, Submitted.AddSeconds(1))],
                order.History.Select(h => (h.Version, h.Status, h.At)));

            // The next event carries the same quote: the history grows, the quote is not written again.
            var customer = new CustomerRef(PartnerId.ToString(), "Acme", "ops@acme.test", SalesChannel.Partner);
            var quote = new QuoteSummary(QuoteId, 8.50m, "EUR", "estimate", Submitted.AddDays(7), [], []);
            Assert.True(order.Apply(new OrderStatusChanged(OrderId, customer, OrderStatus.Confirmed, OrderStatus.Quoted, 4,
                Submitted.AddSeconds(2), null, quote, [])));
            db.ChangeTracker.DetectChanges();
            Assert.True(db.Entry(order).Property(o => o.History).IsModified);
            Assert.False(db.Entry(order).Property(o => o.Quote).IsModified);
            Assert.False(db.Entry(order).Property(o => o.Items).IsModified);
            await db.SaveChangesAsync();

            // A new quote replaces it.
            Assert.True(order.Apply(new OrderStatusChanged(OrderId, customer, OrderStatus.Quoted, OrderStatus.Confirmed, 5,
                Submitted.AddSeconds(3), null, quote with { QuoteId = Guid.CreateVersion7(), Amount = 9.25m }, [])));
            db.ChangeTracker.DetectChanges();
            Assert.True(db.Entry(order).Property(o => o.Quote).IsModified);
            await db.SaveChangesAsync();
        }

        await using (var db = (PartnersDbContext)partners.Create(provider, database.ConnectionString))
        {
            var reread = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == OrderId);
            Assert.Equal([1, 3, 4, 5], reread.History.Select(h => h.Version));
            Assert.Equal(Submitted.AddSeconds(3), reread.History[^1].At);
            Assert.Equal(9.25m, reread.Quote!.Amount);
            Assert.Single(reread.Items);
        }

        // Written now as before: names as in C#, statuses by name, times in the provider's format.
        var json = Assert.IsType<string>(await database.ScalarAsync(
            $"SELECT history{(provider == DatabaseProvider.Postgres ? "::text" : "")} FROM partner_orders"));
        using var history = JsonDocument.Parse(json);
        var last = history.RootElement[3];
        Assert.Equal("Quoted", last.GetProperty("Status").GetString());
        Assert.Equal(5, last.GetProperty("Version").GetInt32());
        var at = last.GetProperty("At");
        if (provider == DatabaseProvider.Postgres)
        {
            Assert.Equal(Submitted.AddSeconds(3), at.GetDateTimeOffset());
        }
        else
        {
            Assert.Equal(Submitted.AddSeconds(3).UtcTicks, at.GetInt64());
        }
    }
}
