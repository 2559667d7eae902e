using Npgsql;

namespace PrintFlow.Bench.Mes;

/// <summary>Throw-away PostgreSQL databases, one per service of the host, dropped at the end.</summary>
public sealed class BenchDatabases(string server, string prefix) : IAsyncDisposable
{
    public static readonly string[] Services = ["mes", "ordering", "pricing", "shop", "partners", "crm", "notifications"];

    public string ConnectionString(string service) =>
        new NpgsqlConnectionStringBuilder(server) { Database = $"{prefix}_{service}", MaxPoolSize = 50 }.ConnectionString;

    public async Task CreateAsync()
    {
        await using var connection = new NpgsqlConnection(Admin());
        await connection.OpenAsync();
        foreach (var service in Services)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{prefix}_{service}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Leave the databases in place (to EXPLAIN queries by hand); they are then listed on stderr.</summary>
    public bool Keep { get; set; }

    public async ValueTask DisposeAsync()
    {
        if (Keep)
        {
            Console.Error.WriteLine($"   kept: {string.Join(", ", Services.Select(s => $"{prefix}_{s}"))}");
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Admin());
        await connection.OpenAsync();
        foreach (var service in Services)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{prefix}_{service}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private string Admin() => new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
}
