using Npgsql;

namespace PrintFlow.Testing.Infrastructure;

/// <summary>
/// A fresh, uniquely named database on the real PostgreSQL server that <c>scripts/start-postgres.sh</c> started
/// (test.sh runs it), dropped again on dispose. The server comes from <c>PRINTFLOW_TEST_POSTGRES</c>, by default
/// the local cluster with the printflow login.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "PRINTFLOW_TEST_POSTGRES";
    private const string DefaultServer = "Host=localhost;Port=5432;Username=printflow;Password=printflow";

    private PostgresTestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static string Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer;

    public static async Task<PostgresTestDatabase> CreateAsync(string prefix = "test")
    {
        FastLoop.Refuse("PostgreSQL", "Infrastructure");
        var name = $"pf_{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 36)].ToLowerInvariant();
        await using (var connection = await OpenAdminAsync())
        await using (var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(Server) { Database = name, MaxPoolSize = 50 };
        return new PostgresTestDatabase(name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await OpenAdminAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"No PostgreSQL at '{builder.Host}:{builder.Port}'. Run scripts/start-postgres.sh (test.sh does) or set {ServerVariable}.",
                exception);
        }

        return connection;
    }
}
