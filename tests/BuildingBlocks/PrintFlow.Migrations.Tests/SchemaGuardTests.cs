using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// The guard against a model change without a migration: for every service and both providers, a database built by
/// the migration scripts (the building blocks' streams, then the service's) must have exactly the schema (and seed
/// rows) that EF creates from the current model.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class SchemaGuardTests
{
    public static TheoryData<string, DatabaseProvider> Services()
    {
        var data = new TheoryData<string, DatabaseProvider>();
        foreach (var schema in ServiceSchemas.All)
        {
            data.Add(schema.Name, DatabaseProvider.Sqlite);
            data.Add(schema.Name, DatabaseProvider.Postgres);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Migrate_WhenComparedWithTheEfModel_GivesExactlyTheModelsSchema(string service, DatabaseProvider provider)
    {
        var schema = ServiceSchemas.Find(service);
        await using var modelDb = await TestDatabase.CreateAsync(provider, $"model_{service}");
        await using var migratedDb = await TestDatabase.CreateAsync(provider, $"migrated_{service}");

        await using (var db = schema.Create(provider, modelDb.ConnectionString))
        {
            await db.Database.EnsureCreatedAsync();
        }

        await using var migrated = await migratedDb.OpenAsync();
        await new SchemaMigrator(NullLogger.Instance).MigrateAsync(migrated, provider, schema.Streams(provider), service);

        await using var model = await modelDb.OpenAsync();
        var expected = await SchemaSnapshot.ReadAsync(model, provider, includeRows: true);
        var actual = await SchemaSnapshot.ReadAsync(migrated, provider, includeRows: true);
        var difference = expected.DifferenceFrom(actual, "the EF model", "the migrated database");
        Assert.True(difference.Length == 0,
            $"""
            The {service} model and its {provider} migrations disagree. If you changed the model, add a migration:
              {schema.MigrationsFolder(provider)}/{schema.Migrations(provider)[^1].Version + 1:D4}_<what_changed>.sql
            with the ALTER/CREATE statements that turn the migrated database into the model's (a building block's table:
            the next script of its stream, Migrations/<stream>/<provider>/ in that block; for each provider;
            `dotnet run --project src/Tools/PrintFlow.SchemaTool -- script {service} {provider.ToString().ToLowerInvariant()}`
            prints the model's full create script to copy the new definitions from). Never edit an applied script.
            See docs/decisions/0010-migrations.md.

            {difference}
            """);
        Assert.NotEmpty(expected.Lines);
    }
}
