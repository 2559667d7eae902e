using Microsoft.EntityFrameworkCore;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>The two databases PrintFlow runs on; each has its own migration scripts.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseProviders
{
    public static DatabaseProvider Of(DbContext db) => db.Database.IsSqlite() ? DatabaseProvider.Sqlite
        : db.Database.IsNpgsql() ? DatabaseProvider.Postgres
        : throw new InvalidOperationException($"{db.GetType().Name} uses {db.Database.ProviderName}; only SQLite and PostgreSQL have migrations.");
}
