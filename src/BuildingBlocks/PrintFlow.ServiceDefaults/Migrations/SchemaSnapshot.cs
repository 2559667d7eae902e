using System.Data.Common;
using System.Globalization;

namespace PrintFlow.ServiceDefaults.Migrations;

/// <summary>
/// A database's schema as sorted, comparable lines (tables' columns with type, nullability and default; indexes;
/// constraints; optionally every row), read from the catalog: information_schema/pg_indexes/pg_constraint on
/// PostgreSQL, pragma table_info/index_list/foreign_key_list on SQLite. Column order is left out on purpose: a
/// column added by ALTER TABLE comes last, wherever the model declares it. The history tables are not part of it.
/// </summary>
public sealed class SchemaSnapshot
{
    private SchemaSnapshot(SortedSet<string> lines) => Lines = lines;

    public SortedSet<string> Lines { get; }

    public static async Task<SchemaSnapshot> ReadAsync(
        DbConnection connection, DatabaseProvider provider, bool includeRows = false, DbTransaction? transaction = null,
        CancellationToken cancellationToken = default)
    {
        var reader = new CatalogReader(connection, transaction, cancellationToken);
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        var tables = provider == DatabaseProvider.Postgres
            ? await ReadPostgresAsync(reader, lines)
            : await ReadSqliteAsync(reader, lines);
        if (includeRows)
        {
            foreach (var table in tables)
            {
                foreach (var row in await reader.RowsAsync($"SELECT * FROM \"{table}\""))
                {
                    lines.Add($"row {table}: {string.Join(" | ", row)}");
                }
            }
        }

        return new SchemaSnapshot(lines);
    }

    /// <summary>What <paramref name="actual"/> lacks and what it has too much, compared with this snapshot; empty when equal.</summary>
    public string DifferenceFrom(SchemaSnapshot actual, string expectedLabel, string actualLabel)
    {
        var missing = Lines.Except(actual.Lines).ToList();
        var extra = actual.Lines.Except(Lines).ToList();
        if (missing.Count == 0 && extra.Count == 0)
        {
            return "";
        }

        var text = new System.Text.StringBuilder();
        if (missing.Count > 0)
        {
            text.AppendLine($"In {expectedLabel} but not in {actualLabel}:");
            missing.ForEach(line => text.AppendLine("  + " + line));
        }

        if (extra.Count > 0)
        {
            text.AppendLine($"In {actualLabel} but not in {expectedLabel}:");
            extra.ForEach(line => text.AppendLine("  - " + line));
        }

        return text.ToString();
    }

    private static async Task<List<string>> ReadPostgresAsync(CatalogReader reader, SortedSet<string> lines)
    {
        var tables = (await reader.RowsAsync(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' " +
            $"AND table_name NOT LIKE '{SchemaMigrator.HistoryTablePattern}'")).Select(r => r[0]).ToList();
        foreach (var c in await reader.RowsAsync(
            "SELECT table_name, column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale, " +
            "is_nullable, column_default, is_identity, identity_generation, collation_name FROM information_schema.columns " +
            $"WHERE table_schema = current_schema() AND table_name NOT LIKE '{SchemaMigrator.HistoryTablePattern}'"))
        {
            lines.Add($"column {c[0]}.{c[1]}: {c[2]} ({c[3]}) length={c[4]} precision={c[5]},{c[6]} nullable={c[7]} " +
                $"default={c[8]} identity={c[9]} {c[10]} collation={c[11]}");
        }

        var schema = (await reader.RowsAsync("SELECT current_schema()"))[0][0];
        foreach (var i in await reader.RowsAsync(
            $"SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename NOT LIKE '{SchemaMigrator.HistoryTablePattern}'"))
        {
            lines.Add($"index {i[0]}.{i[1]}: {i[2].Replace($" {schema}.", " ", StringComparison.Ordinal)}");
        }

        foreach (var k in await reader.RowsAsync(
            "SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid) FROM pg_constraint co " +
            "JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = co.connamespace " +
            $"WHERE n.nspname = current_schema() AND cl.relname NOT LIKE '{SchemaMigrator.HistoryTablePattern}'"))
        {
            lines.Add($"constraint {k[0]}.{k[1]} ({k[2]}): {k[3]}");
        }

        return tables;
    }

    private static async Task<List<string>> ReadSqliteAsync(CatalogReader reader, SortedSet<string> lines)
    {
        var objects = await reader.RowsAsync(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' " +
            $"AND tbl_name NOT LIKE '{SchemaMigrator.HistoryTablePattern}'");
        var tables = objects.Where(o => o[0] == "table").Select(o => o[1]).ToList();
        foreach (var other in objects.Where(o => o[0] is "view" or "trigger"))
        {
            lines.Add($"{other[0]} {other[1]}: {other[3]}");
        }

        foreach (var table in tables)
        {
            var sql = objects.First(o => o[0] == "table" && o[1] == table)[3];
            if (sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase))
            {
                lines.Add($"table {table}: autoincrement");
            }

            foreach (var c in await reader.RowsAsync($"PRAGMA table_info(\"{table}\")"))
            {
                lines.Add($"column {table}.{c[1]}: {c[2]} notnull={c[3]} default={c[4]} pk={c[5]}");
            }

            foreach (var i in await reader.RowsAsync($"PRAGMA index_list(\"{table}\")"))
            {
                var columns = (await reader.RowsAsync($"PRAGMA index_info(\"{i[1]}\")"))
                    .OrderBy(r => int.Parse(r[0], CultureInfo.InvariantCulture)).Select(r => r[2]);
                var name = i[3] == "c" ? i[1] : $"({i[3]})"; // automatic indexes get positional names
                lines.Add($"index {table}.{name}: unique={i[2]} partial={i[4]} ({string.Join(", ", columns)})");
            }

            foreach (var f in await reader.RowsAsync($"PRAGMA foreign_key_list(\"{table}\")"))
            {
                lines.Add($"foreign key {table}#{f[0]}.{f[1]}: {f[3]} -> {f[2]}.{f[4]} on update {f[5]} on delete {f[6]}");
            }
        }

        return tables;
    }

    private sealed class CatalogReader(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        public async Task<List<string[]>> RowsAsync(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<string[]>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new string[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
                }

                rows.Add(row);
            }

            return rows;
        }
    }
}
