using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// Decision 19: a database created when every service carried its own copy of the outbox, inbox, session, sign-in and
/// upload scripts (Shop's scripts as they were, in Legacy/shop) starts with the building blocks' streams, keeping
/// every row and ending with the schema a new database gets.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class MigrationStreamUpgradeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 8, 30, 0, TimeSpan.Zero);

    public static TheoryData<DatabaseProvider> Providers() => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    private static readonly SchemaMigrator Migrator = new(NullLogger.Instance);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenTheServiceHistoryHoldsTheBlocksScripts_HandsThemToTheBlocksStreamsAndKeepsEveryRow(DatabaseProvider provider)
    {
        var shop = ServiceSchemas.Find("shop");
        var legacy = EmbeddedMigrations.Load(typeof(MigrationStreamUpgradeTests).Assembly, provider, "shop");
        await using var database = await TestDatabase.CreateAsync(provider, "streams_upgrade");
        await using (var connection = database.Connect())
        {
            await Migrator.MigrateAsync(connection, provider, legacy, "shop");
        }

        await FillAsync(database, new ProviderLiterals(provider));
        var before = await SnapshotAsync(database, includeRows: true);

        // The service's scripts only as far as the legacy ones went: a later one (0008_shipping) changes the rows compared.
        var streams = shop.Streams(provider);
        var newer = streams[^1].Scripts.Where(s => s.Version > legacy[^1].Version).Select(s => s.Version).ToList();
        IReadOnlyList<MigrationReport> reports;
        await using (var connection = database.Connect())
        {
            reports = await Migrator.MigrateAsync(connection, provider,
                [.. streams.SkipLast(1), MigrationStream.Service([.. streams[^1].Scripts.Where(s => s.Version <= legacy[^1].Version)])], "shop");
        }

        Assert.Equal(
            [
                ("messaging", "1,2,3", ""), ("account_sessions", "1", ""), ("sign_in_failures", "1", ""),
                ("upload_usage", "1", ""), ("service", "", ""),
            ],
            reports.Select(r => (r.Stream, string.Join(",", r.TakenOver), string.Join(",", r.Applied))));
        var after = await SnapshotAsync(database, includeRows: true);
        Assert.Equal("", before.DifferenceFrom(after, "the database before", "the database after"));
        Assert.Equal("1,2", await HistoryAsync(database, "schema_migrations"));
        Assert.Equal("1,2,3", await HistoryAsync(database, "schema_migrations_messaging"));

        // Started again, every checksum matches (the service's 0001 now without the blocks' tables), nothing is taken
        // over twice, and only the service's newer scripts run.
        await using (var connection = database.Connect())
        {
            var again = await Migrator.MigrateAsync(connection, provider, streams, "shop");
            Assert.All(again, r => Assert.Empty(r.TakenOver));
            Assert.All(again.SkipLast(1), r => Assert.Empty(r.Applied));
            Assert.Equal(newer, again[^1].Applied);
        }

        await using var fresh = await TestDatabase.CreateAsync(provider, "streams_fresh");
        await using (var connection = fresh.Connect())
        {
            await Migrator.MigrateAsync(connection, provider, shop.Streams(provider), "shop");
        }

        Assert.Equal("", (await SnapshotAsync(fresh, includeRows: false)).DifferenceFrom(
            await SnapshotAsync(database, includeRows: false), "a new database", "the upgraded database"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenAnOlderServiceHistoryLacksABlocksScript_TakesOverWhatItHasAndAppliesTheRest(DatabaseProvider provider)
    {
        var shop = ServiceSchemas.Find("shop");
        // Shop before its upload quotas: version 7 (upload_usage) was not applied yet.
        var legacy = EmbeddedMigrations.Load(typeof(MigrationStreamUpgradeTests).Assembly, provider, "shop").Where(s => s.Version <= 6).ToList();
        await using var database = await TestDatabase.CreateAsync(provider, "streams_older");
        await using (var connection = database.Connect())
        {
            await Migrator.MigrateAsync(connection, provider, legacy, "shop");
            var reports = await Migrator.MigrateAsync(connection, provider, shop.Streams(provider), "shop");

            var uploads = reports.Single(r => r.Stream == "upload_usage");
            Assert.Empty(uploads.TakenOver);
            Assert.Equal([1], uploads.Applied);
        }

        Assert.Equal(0L, Convert.ToInt64(await database.ScalarAsync("SELECT count(*) FROM upload_usage"), CultureInfo.InvariantCulture));
    }

    private static async Task FillAsync(TestDatabase database, ProviderLiterals sql)
    {
        var customer = Guid.Parse("0190e6a8-0000-7000-8000-000000000101");
        await database.ExecuteAsync(
            $"""
            INSERT INTO customers ("Id", "Email", "DisplayName", "PasswordHash", "CreatedAt")
                VALUES ({sql.Id(customer)}, 'cy@printflow.test', 'Cy', '', {sql.At(At)});
            INSERT INTO outbox_messages ("MessageId", "Name", "CorrelationId", "Payload", "CreatedAt", "NextAttemptAt", "Attempts", "Route")
                VALUES ({sql.Id(Guid.Parse("0190e6a8-0000-7000-8000-000000000201"))}, 'OrderSubmitted', {sql.Id(customer)}, '{"{}"}',
                    {sql.At(At)}, {sql.At(At)}, 0, 'Shop');
            INSERT INTO inbox_messages ("MessageId", "Consumer", "Name", "ProcessedAt")
                VALUES ({sql.Id(Guid.Parse("0190e6a8-0000-7000-8000-000000000301"))}, 'shop', 'OrderQuoted', {sql.At(At)});
            INSERT INTO account_sessions ("Id", "AccountId", "StartedAt", "ExpiresAt")
                VALUES ({sql.Id(Guid.Parse("0190e6a8-0000-7000-8000-000000000401"))}, '{customer}', {sql.At(At)}, {sql.At(At.AddHours(8))});
            INSERT INTO sign_in_failures ("Key", "Failures", "WindowEndsAt") VALUES ('k1', 2, {sql.At(At.AddMinutes(15))});
            INSERT INTO upload_usage ("Owner", "Hour", "Bytes", "Models") VALUES ('{customer}', 493000, 1048576, 2);
            """);
    }

    private static async Task<SchemaSnapshot> SnapshotAsync(TestDatabase database, bool includeRows)
    {
        await using var connection = await database.OpenAsync();
        return await SchemaSnapshot.ReadAsync(connection, database.Provider, includeRows);
    }

    private static async Task<string> HistoryAsync(TestDatabase database, string table)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version FROM {table} ORDER BY version";
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<string>();
        while (await reader.ReadAsync())
        {
            versions.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return string.Join(",", versions);
    }
}
