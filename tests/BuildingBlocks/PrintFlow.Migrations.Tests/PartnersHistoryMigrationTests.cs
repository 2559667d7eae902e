using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Partners.Data;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// Partners' 0004 moves each order's status history from its own table into a JSON column of the order: a database
/// that already holds orders and history is upgraded in place, and the service reads and extends what it held.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class PartnersHistoryMigrationTests
{
    private static readonly Guid PartnerId = Guid.Parse("0190e6a8-0000-7000-8000-0000000000aa");
    private static readonly Guid Followed = Guid.Parse("0190e6a8-0000-7000-8000-000000000001");
    private static readonly Guid Unanswered = Guid.Parse("0190e6a8-0000-7000-8000-000000000002");
    private static readonly DateTimeOffset Submitted = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);

    public static TheoryData<DatabaseProvider> Providers() => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenOrdersHaveHistoryRows_MovesEachOrdersHistoryIntoItsRowAndKeepsItWorking(DatabaseProvider provider)
    {
        var partners = ServiceSchemas.Find("partners");
        var streams = partners.Streams(provider);
        await using var database = await TestDatabase.CreateAsync(provider, "partners_history");
        var migrator = new SchemaMigrator(NullLogger.Instance);
        await using (var connection = database.Connect())
        {
            await migrator.MigrateAsync(connection, provider,
                [.. streams.SkipLast(1), MigrationStream.Service([.. streams[^1].Scripts.Where(s => s.Version <= 3)])], "partners");
        }

        var sql = new ProviderLiterals(provider);
        foreach (var id in new[] { Followed, Unanswered })
        {
            await database.ExecuteAsync(
                $"""
                INSERT INTO partner_orders ("Id", "PartnerId", "OrderNumber", "Status", "Version", "LeadTime", "CreatedAt",
                    "UpdatedAt", "SortKey", "Resends", "LastSentAt")
                VALUES ({sql.Id(id)}, {sql.Id(PartnerId)}, '{OrderNumber.From(id)}', 'Submitted', 0, 'Standard', {sql.At(Submitted)},
                    {sql.At(Submitted)}, 'k{id:N}', 0, {sql.At(Submitted)})
                """);
        }

        // Written out of version order, as a late event lands: the JSON keeps them oldest first.
        await database.ExecuteAsync(
            $"""
            INSERT INTO partner_order_history ("Version", "Status", "At", "Reason", "OrderId") VALUES
                (2, 'PriceCalculating', {sql.At(Submitted.AddSeconds(2))}, NULL, {sql.Id(Followed)}),
                (1, 'Submitted', {sql.At(Submitted.AddSeconds(1))}, 'Sent again by the partner''s retry.', {sql.Id(Followed)})
            """);

        await using (var connection = database.Connect())
        {
            var reports = await migrator.MigrateAsync(connection, provider, streams, "partners");
            Assert.Contains(4, reports[^1].Applied);
        }

        await using (var db = (PartnersDbContext)partners.Create(provider, database.ConnectionString))
        {
            var followed = await db.Orders.SingleAsync(o => o.Id == Followed);
            Assert.Equal(
                [
                    (1, OrderStatus.Submitted, Submitted.AddSeconds(1), "Sent again by the partner's retry."),
                    (2, OrderStatus.PriceCalculating, Submitted.AddSeconds(2), null),
                ],
                followed.History.Select(h => (h.Version, h.Status, h.At, h.Reason)));
            Assert.Empty((await db.Orders.SingleAsync(o => o.Id == Unanswered)).History);

            // The moved history is the service's own again: a step it holds is not added twice, a new one is kept.
            var customer = new CustomerRef(PartnerId.ToString(), "Acme", "ops@acme.test", SalesChannel.Partner);
            var held = new StatusStep(OrderStatus.PriceCalculating, OrderStatus.Submitted, 2, Submitted.AddSeconds(2), null);
            Assert.True(followed.Apply(new OrderStatusChanged(Followed, customer, OrderStatus.Rejected, OrderStatus.PriceCalculating, 3,
                Submitted.AddSeconds(3), "The model's walls are too thin.", null, [], Passed: [held])));
            await db.SaveChangesAsync();
        }

        await using (var db = (PartnersDbContext)partners.Create(provider, database.ConnectionString))
        {
            var reread = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == Followed);
            Assert.Equal([1, 2, 3], reread.History.Select(h => h.Version));
            Assert.Equal("The model's walls are too thin.", reread.History[^1].Reason);
            Assert.Equal((OrderStatus.Rejected, 3), (reread.Status, reread.Version));
        }

        Assert.Equal(0L, Convert.ToInt64(await database.ScalarAsync(
            provider == DatabaseProvider.Postgres
                ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'partner_order_history'"
                : "SELECT count(*) FROM sqlite_master WHERE name = 'partner_order_history'"), CultureInfo.InvariantCulture));
    }
}
