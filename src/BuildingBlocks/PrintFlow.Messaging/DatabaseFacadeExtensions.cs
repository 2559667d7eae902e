using Microsoft.EntityFrameworkCore.Infrastructure;

namespace PrintFlow.Messaging;

/// <summary>
/// Which database a context runs on, for the few statements this library writes per provider. By the provider's name:
/// this library does not reference the providers (the composition root chooses one). The layers above, which do,
/// ask <c>PrintFlow.ServiceDefaults.Migrations.DatabaseProviders.Of</c>.
/// </summary>
internal static class DatabaseFacadeExtensions
{
    private const string Npgsql = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string Sqlite = "Microsoft.EntityFrameworkCore.Sqlite";

    public static bool IsPostgres(this DatabaseFacade database) => database.ProviderName == Npgsql;

    public static bool IsSqliteProvider(this DatabaseFacade database) => database.ProviderName == Sqlite;
}
