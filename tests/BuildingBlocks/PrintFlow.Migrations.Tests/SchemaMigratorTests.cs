using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

[Trait("Category", "Infrastructure")]
public sealed class SchemaMigratorTests
{
    public static TheoryData<DatabaseProvider> Providers() => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    private static readonly SchemaMigrator Migrator = new(NullLogger.Instance);

    private static async Task<MigrationReport> MigrateAsync(TestDatabase database, params MigrationScript[] scripts)
    {
        await using var connection = database.Connect();
        return await Migrator.MigrateAsync(connection, database.Provider, scripts, "test");
    }

    private static async Task<long> CountAsync(TestDatabase database, string sql) =>
        Convert.ToInt64(await database.ScalarAsync(sql), CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenAServiceDatabaseWithDataGetsANewScript_UpgradesInPlaceAndKeepsTheData(DatabaseProvider provider)
    {
        var mes = ServiceSchemas.Find("mes");
        // Only 0001: its schema never changes, so the row inserted below stays valid whatever later scripts add.
        var initial = mes.Migrations(provider).Take(1).ToList();
        await using var database = await TestDatabase.CreateAsync(provider, "upgrade");
        await MigrateAsync(database, [.. initial]);
        await database.ExecuteAsync(
            "INSERT INTO mes_accounts (\"Id\", \"Email\", \"Name\", \"Role\", \"PasswordHash\", \"LoadVersion\") " +
            "VALUES ('0190e6a8-0000-7000-8000-000000000001', 'ada@printflow.test', 'Ada', 'operator', '', 3)");

        var addShift = new MigrationScript(initial[^1].Version + 1, "add_shift",
            "ALTER TABLE mes_accounts ADD COLUMN \"Shift\" varchar(16) NOT NULL DEFAULT 'day';");
        var report = await MigrateAsync(database, [.. initial, addShift]);

        Assert.Equal([addShift.Version], report.Applied);
        Assert.Equal(addShift.Version, report.Version);
        Assert.Equal("Ada|3|day", await database.ScalarAsync(
            "SELECT \"Name\" || '|' || \"LoadVersion\" || '|' || \"Shift\" FROM mes_accounts"));
        Assert.Equal(8L, await CountAsync(database, "SELECT count(*) FROM mes_stage_counts"));
        Assert.Equal(2L, await CountAsync(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenTheDatabaseIsCurrent_AppliesNothing(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "current");
        var scripts = new[] { ScriptedMigrations.CreateWidgets(provider), ScriptedMigrations.AddColour(provider) };

        var first = await MigrateAsync(database, scripts);
        var second = await MigrateAsync(database, scripts);

        Assert.Equal([1, 2], first.Applied);
        Assert.Empty(second.Applied);
        Assert.Equal(2, second.Version);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenAnAppliedScriptWasEdited_FailsNamingTheFile(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "checksum");
        var original = ScriptedMigrations.CreateWidgets(provider);
        await MigrateAsync(database, original);

        var edited = original with { Sql = original.Sql.Replace("name", "title", StringComparison.Ordinal) };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MigrateAsync(database, edited, ScriptedMigrations.AddColour(provider)));

        Assert.Contains($"Data/Migrations/{provider}/0001_create_widgets.sql", error.Message);
        Assert.Contains("never be edited", error.Message);
        Assert.Equal(1L, await CountAsync(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenAScriptFails_LeavesNeitherItsChangesNorItsHistoryRow(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "failing");
        var broken = new MigrationScript(2, "broken", "CREATE TABLE half_done (n integer);\nTHIS IS NOT SQL;");

        await Assert.ThrowsAnyAsync<Exception>(() => MigrateAsync(database, ScriptedMigrations.CreateWidgets(provider), broken));

        Assert.Equal(1L, await CountAsync(database, "SELECT max(version) FROM schema_migrations"));
        var halfDone = provider == DatabaseProvider.Postgres
            ? "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'"
            : "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'";
        Assert.Equal(0L, await CountAsync(database, halfDone));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_WhenFourInstancesStartAtOnce_AppliesEveryScriptExactlyOnce(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, "race");
        var scripts = new[] { ScriptedMigrations.Probe(1), ScriptedMigrations.Probe(2), ScriptedMigrations.Probe(3) };

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => MigrateAsync(database, scripts))));

        Assert.Equal([1, 2, 3], reports.SelectMany(r => r.Applied).Order());
        Assert.All(reports, r => Assert.Equal(3, r.Version));
        foreach (var version in new[] { 1, 2, 3 })
        {
            Assert.Equal(1L, await CountAsync(database, $"SELECT count(*) FROM probe_{version}"));
        }

        Assert.Equal(3L, await CountAsync(database, "SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_WhenASqliteDatabaseWasCreatedByEnsureCreatedWithTheSameSchema_RecordsItAsTheFirstVersion()
    {
        var shop = ServiceSchemas.Find("shop");
        var streams = shop.Streams(DatabaseProvider.Sqlite);
        var messaging = streams.Single(s => s.Key == "messaging");
        var service = streams[^1];
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "baseline");
        // What EnsureCreated made before migrations existed: the schema of 0001 (outbox and inbox then in it), no history.
        await database.ExecuteAsync(messaging.Scripts[0].Sql + service.Scripts[0].Sql);

        await database.ExecuteAsync("INSERT INTO customers (\"Id\", \"Email\", \"DisplayName\", \"PasswordHash\", \"CreatedAt\") " +
            "VALUES ('0190e6a8-0000-7000-8000-000000000002', 'bo@printflow.test', 'Bo', '', 0)");
        await using var connection = database.Connect();
        var reports = await Migrator.MigrateAsync(connection, DatabaseProvider.Sqlite, streams, "test");

        Assert.True(reports[^1].Baselined);
        Assert.True(reports[0].Baselined);
        Assert.Equal(service.Scripts.Skip(1).Select(s => s.Version), reports[^1].Applied);
        Assert.Equal(messaging.Scripts.Skip(1).Select(s => s.Version), reports[0].Applied);
        Assert.Equal(1L, await CountAsync(database, "SELECT count(*) FROM customers"));
        Assert.Equal(1L, await CountAsync(database, "SELECT count(*) FROM schema_migrations WHERE version = 1"));
        Assert.Equal(1L, await CountAsync(database, "SELECT count(*) FROM schema_migrations_messaging WHERE version = 1"));
    }

    [Fact]
    public async Task Migrate_WhenASqliteDatabaseWasCreatedByAnOlderModel_FailsSayingToDeleteTheDataFolder()
    {
        var shop = ServiceSchemas.Find("shop");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, "stale");
        await using (var db = shop.Create(DatabaseProvider.Sqlite, database.ConnectionString))
        {
            await db.Database.EnsureCreatedAsync();
        }

        await database.ExecuteAsync("ALTER TABLE customers ADD COLUMN \"Nickname\" TEXT NULL");
        await using var connection = database.Connect();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Migrator.MigrateAsync(connection, DatabaseProvider.Sqlite, shop.Streams(DatabaseProvider.Sqlite), "test"));

        Assert.Contains("Delete the data folder", error.Message);
        Assert.Contains("Nickname", error.Message);
    }

    [Fact]
    public async Task Migrate_WhenAPostgresDatabaseHasTablesButNoHistory_RefusesToGuess()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres, "unknown");
        await database.ExecuteAsync("CREATE TABLE legacy (id integer)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MigrateAsync(database, ScriptedMigrations.CreateWidgets(DatabaseProvider.Postgres)));

        Assert.Contains("not created by migrations", error.Message);
    }
}
