using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>What a migration run did to one stream; <see cref="TakenOver"/>: versions recorded from a service's history (decision 19).</summary>
public sealed record MigrationReport(string Stream, int Version, IReadOnlyList<int> Applied, bool Baselined, IReadOnlyList<int> TakenOver);

/// <summary>
/// Brings a database up to the newest of its versioned scripts, in place: each <see cref="MigrationStream"/> in turn
/// (building blocks' first, the service's last), each with its own history table. Every step is a transaction that
/// first takes the database's migration lock (PostgreSQL: <c>pg_advisory_xact_lock</c> on a key derived from the
/// database's name; SQLite: <c>BEGIN IMMEDIATE</c>, as SQLite serialises writers) and then re-reads the history, so
/// several instances starting at once apply each script exactly once. Each script commits together with its history
/// row; scripts already applied are checked against their recorded checksums.
/// </summary>
public sealed class SchemaMigrator(ILogger logger)
{
    public const string HistoryTable = "schema_migrations";

    /// <summary>The name every stream's history table starts with, for catalog queries that leave them out.</summary>
    public const string HistoryTablePattern = HistoryTable + "%";

    /// <summary>A database with one stream, the service's own.</summary>
    public async Task<MigrationReport> MigrateAsync(
        DbConnection connection, DatabaseProvider provider, IReadOnlyList<MigrationScript> scripts, string database,
        CancellationToken cancellationToken = default) =>
        (await MigrateAsync(connection, provider, [MigrationStream.Service(scripts)], database, cancellationToken))[0];

    public async Task<IReadOnlyList<MigrationReport>> MigrateAsync(
        DbConnection connection, DatabaseProvider provider, IReadOnlyList<MigrationStream> streams, string database,
        CancellationToken cancellationToken = default)
    {
        streams = Validate(streams, provider, database);
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            var step = new Step(connection, provider, LockKey(database), cancellationToken);
            var (baselined, takenOver) = await PrepareAsync(step, streams, database);
            var reports = new List<MigrationReport>();
            foreach (var stream in streams)
            {
                var applied = await CheckAsync(step, stream, database);
                var newlyApplied = new List<int>();
                foreach (var script in stream.Scripts.Where(s => !applied.ContainsKey(s.Version)))
                {
                    if (await ApplyAsync(step, stream, script))
                    {
                        newlyApplied.Add(script.Version);
                        logger.LogInformation("Applied migration {Migration} of the {Stream} stream to {Database} ({Provider})",
                            script.FileName, stream.Key, database, provider);
                    }
                }

                var version = stream.Scripts[^1].Version;
                logger.LogInformation("Database {Database} ({Provider}) is at version {Version} of the {Stream} stream; {Count} migration(s) applied now",
                    database, provider, version, stream.Key, newlyApplied.Count);
                reports.Add(new MigrationReport(stream.Key, version, newlyApplied, baselined.Contains(stream.Key),
                    takenOver.GetValueOrDefault(stream.Key, [])));
            }

            return reports;
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

    private static IReadOnlyList<MigrationStream> Validate(IReadOnlyList<MigrationStream> streams, DatabaseProvider provider, string database)
    {
        if (streams.Count == 0 || streams.Count(s => s.IsService) > 1 || streams.Select(s => s.Key).Distinct().Count() != streams.Count)
        {
            throw new InvalidOperationException($"{database}: migration streams must be distinct, with at most one service stream.");
        }

        return [.. streams.Select(stream =>
        {
            if (stream.Scripts.Count == 0)
            {
                throw new InvalidOperationException($"{database} has no {provider} migration scripts in its {stream.Key} stream.");
            }

            if (!stream.Key.All(c => c is (>= 'a' and <= 'z') or '_'))
            {
                throw new InvalidOperationException($"Migration stream '{stream.Key}' of {database}: a key is lower-case letters and '_'.");
            }

            return stream with { Scripts = EmbeddedMigrations.Ordered(stream.Scripts, $"{database} ({provider}, {stream.Key})") };
        })];
    }

    /// <summary>
    /// Creates the streams' history tables, in one locked transaction with what a database from an earlier build needs
    /// first: a database without any history is baselined (<see cref="BaselineAsync"/>); a database whose service
    /// history holds scripts a building block now owns hands them over (<see cref="TakeOverAsync"/>).
    /// </summary>
    private async Task<(HashSet<string> Baselined, Dictionary<string, IReadOnlyList<int>> TakenOver)> PrepareAsync(
        Step step, IReadOnlyList<MigrationStream> streams, string database)
    {
        await using var transaction = await step.BeginLockedAsync();
        var histories = await step.HistoryTablesAsync(transaction);
        var hadTables = histories.Count == 0 && await step.HasTablesAsync(transaction); // asked only where a baseline could be needed
        foreach (var stream in streams)
        {
            await step.ExecuteAsync(transaction, step.Provider == DatabaseProvider.Postgres
                ? $"CREATE TABLE IF NOT EXISTS {stream.HistoryTable} (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)"
                : $"CREATE TABLE IF NOT EXISTS {stream.HistoryTable} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
        }

        var baselined = new HashSet<string>(StringComparer.Ordinal);
        var takenOver = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        if (hadTables)
        {
            foreach (var stream in await BaselineAsync(step, transaction, streams, database))
            {
                baselined.Add(stream);
            }
        }
        else if (histories.Contains(HistoryTable) && streams.FirstOrDefault(s => s.IsService) is { } service)
        {
            foreach (var block in streams.Where(s => !s.IsService && !histories.Contains(s.HistoryTable)))
            {
                if (await TakeOverAsync(step, transaction, block, service, database) is { Count: > 0 } versions)
                {
                    takenOver[block.Key] = versions;
                }
            }
        }

        await transaction.CommitAsync(step.CancellationToken);
        return (baselined, takenOver);
    }

    /// <summary>
    /// Until decision 19 every service carried its own copy of the building blocks' scripts. When a block's stream is
    /// new to a database whose service history holds scripts of the same names, those are already applied: they are
    /// recorded in the block's history and leave the service's, except a script the service still ships under that
    /// version and name (its <c>0001_initial</c>, which lost the block's tables), whose checksum becomes the new file's.
    /// </summary>
    private async Task<List<int>> TakeOverAsync(
        Step step, DbTransaction transaction, MigrationStream block, MigrationStream service, string database)
    {
        var serviceRows = await step.AppliedAsync(transaction, service.HistoryTable);
        var taken = new List<int>();
        foreach (var script in block.Scripts)
        {
            var row = serviceRows.FirstOrDefault(r => r.Value.Name == script.Name);
            if (row.Value.Name is null)
            {
                continue;
            }

            await step.RecordAsync(transaction, block.HistoryTable, script);
            taken.Add(script.Version);
            if (service.Scripts.FirstOrDefault(s => s.Version == row.Key && s.Name == script.Name) is { } kept)
            {
                await step.ExecuteAsync(transaction, $"UPDATE {service.HistoryTable} SET checksum = '{kept.Checksum}' WHERE version = {row.Key}");
            }
            else
            {
                await step.ExecuteAsync(transaction, $"DELETE FROM {service.HistoryTable} WHERE version = {row.Key}");
            }

            logger.LogWarning("{Database} ({Provider}): migration {Version:D4}_{Name} of the service is now {Migration} of the {Stream} stream",
                database, step.Provider, row.Key, script.Name, script.FileName, block.Key);
        }

        return taken;
    }

    private async Task<Dictionary<int, string>> CheckAsync(Step step, MigrationStream stream, string database)
    {
        await using var transaction = await step.BeginLockedAsync();
        var applied = (await step.AppliedAsync(transaction, stream.HistoryTable)).ToDictionary(r => r.Key, r => r.Value.Checksum);
        foreach (var (version, checksum) in applied)
        {
            var script = stream.Scripts.FirstOrDefault(s => s.Version == version);
            if (script is null)
            {
                // A newer build migrated this database (a rolling upgrade): scripts only add, so this build still fits.
                logger.LogWarning("{Database} ({Provider}) has migration {Version} of the {Stream} stream applied, which this build does not know",
                    database, step.Provider, version, stream.Key);
            }
            else if (!string.Equals(script.Checksum, checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Migration {stream.PathOf(script, step.Provider)} of {database} was changed after it was applied " +
                    $"(recorded checksum {checksum}, the file's is {script.Checksum}). An applied migration must never be edited: " +
                    "restore it and put the change into a new script with the next version number.");
            }
        }

        await transaction.CommitAsync(step.CancellationToken);
        return applied;
    }

    /// <summary>
    /// A database created before migrations existed (EnsureCreated) has tables but no history. On SQLite, if its
    /// schema is exactly what the first scripts create (the service's first, and each building block's
    /// <c>initial</c>: what the services' first scripts held before decision 19), those are recorded as applied;
    /// otherwise, and always on PostgreSQL, start-up stops with what to do.
    /// </summary>
    private async Task<IEnumerable<string>> BaselineAsync(
        Step step, DbTransaction transaction, IReadOnlyList<MigrationStream> streams, string database)
    {
        var firsts = streams.Where(s => s.IsService || s.Scripts[0].Name == "initial").Select(s => (Stream: s, Script: s.Scripts[0])).ToList();
        if (step.Provider == DatabaseProvider.Postgres)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL database of {database} has tables but no {HistoryTable} table: it was not created by migrations. " +
                "Drop it and let the service create it, or, if it certainly matches its first scripts, record that by hand: " +
                string.Join(" ", firsts.Select(f =>
                    $"INSERT INTO {f.Stream.HistoryTable} VALUES ({f.Script.Version}, '{f.Script.Name}', '{f.Script.Checksum}', now());")));
        }

        var existing = await SchemaSnapshot.ReadAsync(step.Connection, step.Provider, transaction: transaction, cancellationToken: step.CancellationToken);
        await using var scratch = new SqliteConnection("Data Source=:memory:");
        await scratch.OpenAsync(step.CancellationToken);
        foreach (var (_, script) in firsts)
        {
            await using var create = scratch.CreateCommand();
            create.CommandText = script.Sql;
            await create.ExecuteNonQueryAsync(step.CancellationToken);
        }

        var expected = await SchemaSnapshot.ReadAsync(scratch, step.Provider, cancellationToken: step.CancellationToken);
        var label = string.Join(" + ", firsts.Select(f => f.Script.FileName));
        var difference = expected.DifferenceFrom(existing, label, "the existing database");
        if (difference.Length > 0)
        {
            throw new InvalidOperationException(
                $"The SQLite database of {database} ({step.Connection.DataSource}) was created before schema migrations existed and " +
                $"does not match {label}. Delete the data folder (or just this file) to start afresh.{Environment.NewLine}{difference}");
        }

        foreach (var (stream, script) in firsts)
        {
            await step.RecordAsync(transaction, stream.HistoryTable, script);
        }

        logger.LogWarning("{Database}: recorded the existing SQLite schema (created by EnsureCreated) as {Migrations}", database, label);
        return firsts.Select(f => f.Stream.Key);
    }

    private static async Task<bool> ApplyAsync(Step step, MigrationStream stream, MigrationScript script)
    {
        await using var transaction = await step.BeginLockedAsync();
        if ((await step.AppliedAsync(transaction, stream.HistoryTable)).ContainsKey(script.Version))
        {
            return false; // another instance applied it while this one waited for the lock
        }

        await step.ExecuteAsync(transaction, script.Sql);
        await step.RecordAsync(transaction, stream.HistoryTable, script);
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

        public async Task<Dictionary<int, (string Name, string Checksum)>> AppliedAsync(DbTransaction transaction, string historyTable)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT version, name, checksum FROM {historyTable} ORDER BY version";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var applied = new Dictionary<int, (string, string)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                applied[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = (reader.GetString(1), reader.GetString(2));
            }

            return applied;
        }

        /// <summary>The history tables that exist already, of any stream.</summary>
        public async Task<HashSet<string>> HistoryTablesAsync(DbTransaction transaction)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = provider == DatabaseProvider.Postgres
                ? $"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE '{HistoryTablePattern}'"
                : $"SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '{HistoryTablePattern}'";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var tables = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }

            return tables;
        }

        public async Task<bool> HasTablesAsync(DbTransaction transaction)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = provider == DatabaseProvider.Postgres
                ? $"SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE '{HistoryTablePattern}'"
                : $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '{HistoryTablePattern}'";
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
        }

        public async Task RecordAsync(DbTransaction transaction, string historyTable, MigrationScript script)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {historyTable} (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @at)";
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
