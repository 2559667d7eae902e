using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Partners.Data;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// Counts a partner's requests in Partners' own database, so all instances share one limit. The window is fixed, one
/// minute from the partner's first request after the previous window ended; one row per partner holds it and is
/// advanced by a single upsert that either starts a new window or adds one (so there are no old rows to prune).
/// An instance that saw a partner go over its limit refuses it without asking again until that window ends.
/// </summary>
public sealed class PartnerRequestCounter(TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>More partners over their limit at once than any real set: past it, the memory starts again rather than grow.</summary>
    private const int MaxRemembered = 10_000;

    // Valid on both SQLite (3.35+: UPSERT with RETURNING) and PostgreSQL. SET expressions read the row as it was.
    private const string CountSql = """
        INSERT INTO partner_request_counts AS c ("PartnerId", "WindowStart", "Count") VALUES (@partner, @now, 1)
        ON CONFLICT ("PartnerId") DO UPDATE SET
            "WindowStart" = CASE WHEN c."WindowStart" <= @ended THEN @now ELSE c."WindowStart" END,
            "Count" = CASE WHEN c."WindowStart" <= @ended THEN 1 ELSE c."Count" + 1 END
        RETURNING "WindowStart", "Count"
        """;

    private readonly ConcurrentDictionary<Guid, Refusal> _refused = new();

    /// <summary>Counts one request of the partner: null when it is within <paramref name="limit"/>, else how long until the window ends.</summary>
    public async Task<TimeSpan?> CountAsync(PartnersDbContext db, Guid partnerId, int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_refused.TryGetValue(partnerId, out var refused))
        {
            if (refused.Until > now && refused.Limit == limit)
            {
                return refused.Until - now;
            }

            _refused.TryRemove(KeyValuePair.Create(partnerId, refused));
        }

        var (windowStart, count) = await IncrementAsync(db, partnerId, now.ToUnixTimeMilliseconds(), cancellationToken);
        if (count <= limit)
        {
            return null;
        }

        var until = DateTimeOffset.FromUnixTimeMilliseconds(windowStart) + Window;
        if (_refused.Count >= MaxRemembered)
        {
            _refused.Clear();
        }

        _refused[partnerId] = new Refusal(until, limit);
        return until - now;
    }

    private static async Task<(long WindowStart, int Count)> IncrementAsync(
        PartnersDbContext db, Guid partnerId, long now, CancellationToken cancellationToken)
    {
        // Plain ADO on the context's connection: one statement, without EF's query pipeline around it.
        var postgres = DatabaseProviders.Of(db) == DatabaseProvider.Postgres;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = CountSql;
            // EF keeps a Guid as upper-case text on SQLite; the row must read the same through the model.
            Add(command, "@partner", postgres ? partnerId : partnerId.ToString().ToUpperInvariant());
            Add(command, "@now", now);
            Add(command, "@ended", now - (long)Window.TotalMilliseconds);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new InvalidOperationException("The request count upsert returned no row.");
            }

            return (reader.GetInt64(0), reader.GetInt32(1));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private sealed record Refusal(DateTimeOffset Until, int Limit);
}
