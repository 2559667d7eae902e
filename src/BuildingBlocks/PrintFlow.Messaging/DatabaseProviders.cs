using Microsoft.EntityFrameworkCore.Infrastructure;

namespace PrintFlow.Messaging;

/// <summary>
/// Which database a context runs on, for the few statements written per provider. By name: this library does not
/// reference the providers themselves (the composition root chooses one).
/// </summary>
internal static class DatabaseProviders
{
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";

    public static bool IsPostgres(this DatabaseFacade database) => database.ProviderName == Npgsql;

    public static bool IsSqliteProvider(this DatabaseFacade database) => database.ProviderName == Sqlite;
}
