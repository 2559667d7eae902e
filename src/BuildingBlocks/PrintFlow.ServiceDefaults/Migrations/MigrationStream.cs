using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using PrintFlow.Messaging;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>
/// One owner's versioned scripts in a database, with a history table of its own: the service's scripts
/// (<c>schema_migrations</c>), or a building block's, such as the outbox and inbox (<c>schema_migrations_messaging</c>).
/// Versions are counted per stream, so a building block's next script never collides with a service's.
/// </summary>
public sealed record MigrationStream(string Key, IReadOnlyList<MigrationScript> Scripts)
{
    public const string ServiceKey = "service";

    public static MigrationStream Service(IReadOnlyList<MigrationScript> scripts) => new(ServiceKey, scripts);

    public bool IsService => Key == ServiceKey;

    /// <summary>The service's history keeps the table name it always had, so databases created before streams still read.</summary>
    public string HistoryTable => IsService ? SchemaMigrator.HistoryTable : $"{SchemaMigrator.HistoryTable}_{Key}";

    /// <summary>Where a script of this stream lives in the source tree, for messages a person acts on.</summary>
    public string PathOf(MigrationScript script, DatabaseProvider provider) => IsService
        ? $"Data/Migrations/{provider}/{script.FileName}"
        : $"Migrations/{Key}/{provider}/{script.FileName} (the {Key} stream of a building block)";

    /// <summary>
    /// The streams of a service's database in the order they are applied: the outbox and inbox first, then the other
    /// building blocks whose entities the model maps (<see cref="MigrationStreamAttribute"/>), then the service's own.
    /// </summary>
    public static IReadOnlyList<MigrationStream> For(DbContext db, DatabaseProvider provider) => For(db.Model, db.GetType().Assembly, provider);

    public static IReadOnlyList<MigrationStream> For(IModel model, Assembly serviceAssembly, DatabaseProvider provider)
    {
        var blocks = model.GetEntityTypes()
            .Select(entity => (entity.ClrType.GetCustomAttribute<MigrationStreamAttribute>()?.Key, entity.ClrType.Assembly))
            .Where(block => block.Key is not null)
            .Distinct()
            .OrderBy(block => block.Key == MigrationStreamAttribute.Messaging ? 0 : 1)
            .ThenBy(block => block.Key, StringComparer.Ordinal)
            .Select(block => new MigrationStream(block.Key!, EmbeddedMigrations.Load(block.Assembly, provider, block.Key!)));
        return [.. blocks, Service(EmbeddedMigrations.Load(serviceAssembly, provider))];
    }
}
