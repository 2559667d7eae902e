using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>What a migration run did.</summary>
public sealed record MigrationReport(int Version, IReadOnlyList<int> Applied, bool Baselined);

/// <summary>
/// Brings a database up to the newest of its versioned scripts, in place. Every step is a transaction that first
/// takes the database's migration lock (PostgreSQL: <c>pg_advisory_xact_lock</c> on a key derived from the
/// database's name; SQLite: <c>BEGIN IMMEDIATE</c>, as SQLite serialises writers) and then re-reads
/// <c>schema_migrations</c>, so several instances starting at once apply each script exactly once. Each script
/// commits together with its history row; scripts already applied are checked against their recorded checksums.
/// </summary>
public sealed class SchemaMigrator(ILogger logger)
{
    public const string HistoryTable = "schema_migrations";

    public async Task<MigrationReport> MigrateAsync(
        DbConnection connection, DatabaseProvider provider, IReadOnlyList<MigrationScript> scripts, string database,
        CancellationToken cancellationToken = default)
    {
        if (scripts.Count == 0)
        {
            throw new InvalidOperationException($"{database} has no {provider} migration scripts.");
        }

        scripts = EmbeddedMigrations.Ordered(scripts, $"{database} ({provider})");
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            var step = new Step(connection, provider, LockKey(database), cancellationToken);
            var (applied, baselined) = await CheckAsync(step, scripts, database);
            var newlyApplied = new List<int>();
            foreach (var script in scripts.Where(s => !applied.ContainsKey(s.Version)))
            {
                if (await ApplyAsync(step, script))
                {
                    newlyApplied.Add(script.Version);
                    logger.LogInformation("Applied migration {Migration} to {Database} ({Provider})", script.FileName, database, provider);
                }
            }

            var version = scripts[^1].Version;
            logger.LogInformation("Database {Database} ({Provider}) is at schema version {Version}; {Count} migration(s) applied now",
                database, provider, version, newlyApplied.Count);
            return new MigrationReport(version, newlyApplied, baselined);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    /// <summary>A stable 64-bit advisory-lock key for a database name (advisory locks are per database anyway).</summary>
    public static long LockKey(string database) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("printflow.schema_migrations/" + database)), 0);

    private async Task<(Dictionary<int, string> Applied, bool Baselined)> CheckAsync(
        Step step, IReadOnlyList<MigrationScript> scripts, string database)
    {
        await using var transaction = await step.BeginLockedAsync();
        await step.ExecuteAsync(transaction, step.Provider == DatabaseProvider.Postgres
            ? $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)"
            : $"CREATE TABLE IF NOT EXISTS {HistoryTable} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = await step.AppliedAsync(transaction);
        var baselined = false;
        if (applied.Count == 0 && await step.HasTablesAsync(transaction))
        {
            await BaselineAsync(step, transaction, scripts[0], database);
            applied = await step.AppliedAsync(transaction);
            baselined = true;
        }

        foreach (var (version, checksum) in applied)
        {
            var script = scripts.FirstOrDefault(s => s.Version == version);
            if (script is null)
            {
                // A newer build migrated this database (a rolling upgrade): scripts only add, so this build still fits.
                logger.LogWarning("{Database} ({Provider}) has migration {Version} applied, which this build does not know",
                    database, step.Provider, version);
            }
            else if (!string.Equals(script.Checksum, checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Migration Data/Migrations/{step.Provider}/{script.FileName} of {database} was changed after it was applied " +
                    $"(recorded checksum {checksum}, the file's is {script.Checksum}). An applied migration must never be edited: " +
                    "restore it and put the change into a new script with the next version number.");
            }
        }

        await transaction.CommitAsync(step.CancellationToken);
        return (applied, baselined);
    }

    /// <summary>
    /// A database created before migrations existed (EnsureCreated) has tables but no history. On SQLite, if its
    /// schema is exactly what the first script creates, that script is recorded as applied; otherwise, and always on
    /// PostgreSQL, start-up stops with what to do.
    /// </summary>
    private async Task BaselineAsync(Step step, DbTransaction transaction, MigrationScript first, string database)
    {
        if (step.Provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database of {database} has tables but no {HistoryTable} table: it was not created by migrations. " +
                "Drop it and let the service create it, or, if it certainly matches " + first.FileName + ", record that by hand: " +
                $"INSERT INTO {HistoryTable} VALUES ({first.Version}, '{first.Name}', '{first.Checksum}', now()).");
        }

        var existing = await SchemaSnapshot.ReadAsync(step.Connection, step.Provider, transaction: transaction, cancellationToken: step.CancellationToken);
        await using var scratch = new SqliteConnection("Data Source=:memory:");
        await scratch.OpenAsync(step.CancellationToken);
        await using (var create = scratch.CreateCommand())
        {
            create.CommandText = first.Sql;
            await create.ExecuteNonQueryAsync(step.CancellationToken);
        }

        var expected = await SchemaSnapshot.ReadAsync(scratch, step.Provider, cancellationToken: step.CancellationToken);
        var difference = expected.DifferenceFrom(existing, first.FileName, "the existing database");
        if (difference.Length > 0)
        {
            throw new InvalidOperationException(
                $"The SQLite database of {database} ({step.Connection.DataSource}) was created before schema migrations existed and " +
                $"does not match {first.FileName}. Delete the data folder (or just this file) to start afresh.{Environment.NewLine}{difference}");
        }

        await step.RecordAsync(transaction, first);
        logger.LogWarning("{Database}: recorded the existing SQLite schema (created by EnsureCreated) as migration {Migration}",
            database, first.FileName);
    }

    private static async Task<bool> ApplyAsync(Step step, MigrationScript script)
    {
        await using var transaction = await step.BeginLockedAsync();
        if ((await step.AppliedAsync(transaction)).ContainsKey(script.Version))
        {
            return false; // another instance applied it while this one waited for the lock
        }

        await step.ExecuteAsync(transaction, script.Sql);
        await step.RecordAsync(transaction, script);
        await transaction.CommitAsync(step.CancellationToken);
        return true;
    }

    private sealed class Step(DbConnection connection, DatabaseProvider provider, long lockKey, CancellationToken cancellationToken)
    {
        public DbConnection Connection => connection;
        public DatabaseProvider Provider => provider;
        public CancellationToken CancellationToken => cancellationToken;

        public async Task<DbTransaction> BeginLockedAsync()
        {
            if (connection is SqliteConnection sqlite)
            {
                return sqlite.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the write lock, taken now
            }

            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(transaction, $"SELECT pg_advisory_xact_lock({lockKey.ToString(CultureInfo.InvariantCulture)})");
            return transaction;
        }

        public async Task ExecuteAsync(DbTransaction transaction, string sql)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 600;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public async Task<Dictionary<int, string>> AppliedAsync(DbTransaction transaction)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT version, checksum FROM {HistoryTable} ORDER BY version";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var applied = new Dictionary<int, string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
            }

            return applied;
        }

        public async Task<bool> HasTablesAsync(DbTransaction transaction)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = provider == DatabaseProvider.Postgres
                ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'"
                : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
        }

        public async Task RecordAsync(DbTransaction transaction, MigrationScript script)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {HistoryTable} (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @at)";
            Add(command, "version", script.Version);
            Add(command, "name", script.Name);
            Add(command, "checksum", script.Checksum);
            Add(command, "at", provider == DatabaseProvider.Postgres
                ? DateTimeOffset.UtcNow
                : DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        private static void Add(DbCommand command, string name, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
