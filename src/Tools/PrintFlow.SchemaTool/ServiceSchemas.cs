using Microsoft.EntityFrameworkCore;
using PrintFlow.Crm.Data;
using PrintFlow.Mes.Data;
using PrintFlow.Notifications.Data;
using PrintFlow.Ordering.Data;
using PrintFlow.Partners.Data;
using PrintFlow.Pricing.Data;
using PrintFlow.ServiceDefaults.Migrations;
using PrintFlow.Shop.Data;

namespace PrintFlow.SchemaTool;

/// <summary>A service's database: its name, where its migrations live, and how to build its DbContext on a provider.</summary>
public sealed class ServiceSchema(string name, string folder, Type dbContextType, Func<DatabaseProvider, string, DbContext> create)
{
    public string Name => name;
    public Type DbContextType => dbContextType;

    /// <summary>Relative to the repository root.</summary>
    public string MigrationsFolder(DatabaseProvider provider) => $"src/Services/{folder}/PrintFlow.{folder}/Data/Migrations/{provider}";

    /// <summary>The service's own scripts (its stream), without the building blocks' streams.</summary>
    public IReadOnlyList<MigrationScript> Migrations(DatabaseProvider provider) => EmbeddedMigrations.Load(dbContextType.Assembly, provider);

    /// <summary>Every stream of the service's database, in the order the service applies them (the service's last).</summary>
    public IReadOnlyList<MigrationStream> Streams(DatabaseProvider provider)
    {
        using var db = create(provider, provider == DatabaseProvider.Postgres ? "Host=localhost;Database=printflow_schema" : "Data Source=:memory:");
        return MigrationStream.For(db, provider);
    }

    public DbContext Create(DatabaseProvider provider, string connectionString) => create(provider, connectionString);

    public override string ToString() => name;
}

/// <summary>Every PrintFlow service that owns a database, by the name it passes to AddServiceDatabase.</summary>
public static class ServiceSchemas
{
    public static IReadOnlyList<ServiceSchema> All { get; } =
    [
        Of<ShopDbContext>("shop", "Shop", options => new ShopDbContext(options)),
        Of<PartnersDbContext>("partners", "Partners", options => new PartnersDbContext(options)),
        Of<OrderingDbContext>("ordering", "Ordering", options => new OrderingDbContext(options)),
        Of<PricingDbContext>("pricing", "Pricing", options => new PricingDbContext(options)),
        Of<MesDbContext>("mes", "Mes", options => new MesDbContext(options)),
        Of<CrmDbContext>("crm", "Crm", options => new CrmDbContext(options)),
        Of<NotificationsDbContext>("notifications", "Notifications", options => new NotificationsDbContext(options)),
    ];

    public static ServiceSchema Find(string name) => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No service '{name}'; one of: {string.Join(", ", All)}.");

    public static DatabaseProvider Provider(string name) => Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var provider)
        ? provider
        : throw new ArgumentException($"No provider '{name}'; Sqlite or Postgres.");

    private static ServiceSchema Of<TDb>(string name, string folder, Func<DbContextOptions<TDb>, TDb> create) where TDb : DbContext =>
        new(name, folder, typeof(TDb), (provider, connectionString) =>
        {
            var options = new DbContextOptionsBuilder<TDb>();
            _ = provider == DatabaseProvider.Postgres ? options.UseNpgsql(connectionString) : options.UseSqlite(connectionString);
            return create(options.Options);
        });
}
