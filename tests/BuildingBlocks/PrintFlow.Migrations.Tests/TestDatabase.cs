using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using PrintFlow.ServiceDefaults.Migrations;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Migrations.Tests;

/// <summary>An empty database of either provider: a real PostgreSQL database or a SQLite file, removed on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresTestDatabase? _postgres;
    private readonly string? _file;

    private TestDatabase(DatabaseProvider provider, string connectionString, PostgresTestDatabase? postgres, string? file)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgres = postgres;
        _file = file;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider, string prefix)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var postgres = await PostgresTestDatabase.CreateAsync(prefix);
            return new TestDatabase(provider, postgres.ConnectionString, postgres, null);
        }

        var file = Path.Combine(Path.GetTempPath(), $"pf_{prefix}_{Guid.NewGuid():N}.db");
        return new TestDatabase(provider, $"Data Source={file};Pooling=False;Default Timeout=60", null, file);
    }

    public DbConnection Connect() => Provider == DatabaseProvider.Postgres
        ? new NpgsqlConnection(ConnectionString)
        : new SqliteConnection(ConnectionString);

    public async Task<DbConnection> OpenAsync()
    {
        var connection = Connect();
        await connection.OpenAsync();
        return connection;
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_file is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var path in new[] { _file, _file + "-wal", _file + "-shm" })
            {
                File.Delete(path);
            }
        }
    }
}
