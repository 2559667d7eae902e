using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PrintFlow.Bench;
using PrintFlow.Messaging;

// The retention job (PrintFlow.Messaging.MessageRetention) on a throw-away PostgreSQL database: N dispatched outbox
// rows and N inbox rows as a service writes them (UUIDv7 message ids, payloads of the deployment's size), of which 90 %
// are past their retention; the job's own PruneAsync deletes them. Measured: rows per second, PostgreSQL's and this
// process's CPU per row, and from those the CPU per order at the deployment's rows per order (pg_stat_user_tables
// after bench/cpu.sh's run, 2026-12-05: 8 outbox rows and 12 inbox rows per order). Also the outbox relay's round
// (PrintFlow.Messaging.OutboxRelay) with the full dispatched history behind the pending rows and after pruning.
var rows = IntArg("--rows", 500_000);
var outboxPerOrder = DoubleArg("--outbox-per-order", 8);
var inboxPerOrder = DoubleArg("--inbox-per-order", 12);
var server = Environment.GetEnvironmentVariable("PRINTFLOW_BENCH_PG") ?? "Host=localhost;Username=printflow;Password=printflow";
var name = $"pfbench_retention_{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}";
var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var old = (int)(rows * 0.9); // rows 1..old are past retention, the rest must stay
var relayNow = start + TimeSpan.FromMilliseconds(rows + 1); // the relay's clock: just after the last seeded row

await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
Console.Error.WriteLine($"== throw-away database {name}");
try
{
    await using (var setup = Services(TimeSpan.FromDays(1), TimeSpan.FromDays(3650), start))
    await using (var scope = setup.CreateAsyncScope())
    {
        await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
    }

    Console.Error.WriteLine($"== seeding {rows:N0} dispatched outbox rows and {rows:N0} inbox rows, one a millisecond");
    var seeding = Stopwatch.StartNew();
    var payload = new string('x', 1072); // the average payload of Ordering's outbox in the deployment
    await ExecuteAsync(connectionString, $"""
        INSERT INTO outbox_messages ("MessageId", "Name", "CorrelationId", "Payload", "TraceParent", "CreatedAt",
                                     "NextAttemptAt", "DispatchedAt", "Attempts", "Route")
        SELECT gen_random_uuid(), 'orders.status-changed', gen_random_uuid(), '{payload}',
               '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', t, t, t, 1, 'partner'
        FROM (SELECT i, timestamptz '{start:O}' + i * interval '1 millisecond' AS t FROM generate_series(1, {rows}) i) s
        """);
    await ExecuteAsync(connectionString, $"""
        INSERT INTO inbox_messages ("MessageId", "Consumer", "Name", "ProcessedAt")
        SELECT (lpad(to_hex((extract(epoch FROM t) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3) || '8'
                || substr(h, 4, 15))::uuid,
               'ordering:OrderSubmittedHandler', 'orders.submitted', t
        FROM (SELECT md5(i::text) AS h, timestamptz '{start:O}' + i * interval '1 millisecond' AS t
              FROM generate_series(1, {rows}) i) s
        """);
    await ExecuteAsync(connectionString, "VACUUM ANALYZE outbox_messages");
    await ExecuteAsync(connectionString, "VACUUM ANALYZE inbox_messages");
    Console.Error.WriteLine($"   seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

    // The relay's round (claim, deliver, mark) with the whole dispatched history behind the pending rows, and again
    // once pruning left a tenth of it: it should not depend on how much history the outbox keeps.
    var relayWithHistory = await MeasureRelayAsync(rows);

    // Outbox first (the inbox's retention far away), then the inbox; each run is the job's own PruneAsync.
    var cutoff = start + TimeSpan.FromMilliseconds(old + 1); // rows 1..old are older, to the millisecond
    var outbox = await MeasureAsync("outbox", TimeSpan.FromDays(1), TimeSpan.FromDays(3650), cutoff + TimeSpan.FromDays(1), r => r.Outbox);
    var relayPruned = await MeasureRelayAsync(rows - old);
    var inbox = await MeasureAsync("inbox", TimeSpan.FromDays(3650), TimeSpan.FromDays(7), cutoff + TimeSpan.FromDays(7), r => r.Inbox);

    var left = (Outbox: await CountAsync("outbox_messages"), Inbox: await CountAsync("inbox_messages"));
    if (outbox.Deleted != old || inbox.Deleted != old || left.Outbox != rows - old || left.Inbox != rows - old)
    {
        Console.Error.WriteLine($"wrong rows deleted: outbox {outbox.Deleted} (left {left.Outbox}), inbox {inbox.Deleted} (left {left.Inbox}); expected {old} deleted and {rows - old} left of each");
        return 1;
    }

    var msPerOrder = (outbox.TotalUsPerRow * outboxPerOrder + inbox.TotalUsPerRow * inboxPerOrder) / 1000;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"retention outbox_rows_per_s={outbox.RowsPerSecond:0} inbox_rows_per_s={inbox.RowsPerSecond:0} " +
        $"outbox_pg_us_per_row={outbox.PgUsPerRow:0.0} inbox_pg_us_per_row={inbox.PgUsPerRow:0.0} " +
        $"client_us_per_row={(outbox.ClientUsPerRow + inbox.ClientUsPerRow) / 2:0.00} ms_per_order={msPerOrder:0.000} " +
        $"core_share_at_100_orders_s={msPerOrder * 100 / 1000:0.000} relay_round_ms={relayWithHistory:0.00} " +
        $"relay_round_ms_pruned={relayPruned:0.00} relay_ratio={relayWithHistory / relayPruned:0.00} rows={rows}"));
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
}

async Task<Measurement> MeasureAsync(
    string table, TimeSpan outboxRetention, TimeSpan inboxRetention, DateTimeOffset now, Func<(long Outbox, long Inbox), long> deletedOf)
{
    await using var services = Services(outboxRetention, inboxRetention, now);
    var retention = services.GetRequiredService<MessageRetention<BenchDbContext>>();
    var pgBefore = PostgresCpu();
    var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var deleted = deletedOf(await retention.PruneAsync(CancellationToken.None));
    watch.Stop();
    var pg = PostgresCpu() - pgBefore;
    var client = Process.GetCurrentProcess().TotalProcessorTime - clientBefore;
    var measurement = new Measurement(deleted, deleted / watch.Elapsed.TotalSeconds,
        pg.TotalMicroseconds / Math.Max(1, deleted), client.TotalMicroseconds / Math.Max(1, deleted));
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"   {table}: {deleted:N0} rows in {watch.Elapsed.TotalSeconds:0.00} s, PostgreSQL {pg.TotalSeconds:0.00} s CPU, this process {client.TotalSeconds:0.00} s"));
    return measurement;
}

// Median milliseconds of the relay's own RelayOnceAsync over --relay-rounds rounds of a full batch each (in-process
// transport, nobody subscribed), with `history` dispatched rows in the outbox. The pending rows are there and analyzed
// before the first round, as after a backlog; they are deleted again afterwards.
async Task<double> MeasureRelayAsync(int history)
{
    var rounds = IntArg("--relay-rounds", 20);
    await using var services = Services(TimeSpan.FromDays(1), TimeSpan.FromDays(3650), relayNow);
    var relay = services.GetRequiredService<OutboxRelay<BenchDbContext>>();
    var batch = services.GetRequiredService<IOptions<MessagingOptions>>().Value.BatchSize;
    await ExecuteAsync(connectionString, $"""
        INSERT INTO outbox_messages ("MessageId", "Name", "CorrelationId", "Payload", "CreatedAt", "NextAttemptAt", "Attempts")
        SELECT gen_random_uuid(), 'bench.relay', gen_random_uuid(), 'x', t, t, 0
        FROM (SELECT timestamptz '{relayNow.AddSeconds(-1):O}' AS t, generate_series(1, {(rounds + 1) * batch})) s
        """);
    await ExecuteAsync(connectionString, "ANALYZE outbox_messages");
    await relay.RelayOnceAsync(CancellationToken.None); // warm-up: JIT, connection pool
    var times = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var watch = Stopwatch.StartNew();
        var delivered = await relay.RelayOnceAsync(CancellationToken.None);
        times.Add(watch.Elapsed.TotalMilliseconds);
        if (delivered != batch)
        {
            throw new InvalidOperationException($"a relay round delivered {delivered} rows, not {batch}");
        }
    }

    await ExecuteAsync(connectionString, """DELETE FROM outbox_messages WHERE "Name" = 'bench.relay'""");
    times.Sort();
    var median = times[times.Count / 2];
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"   relay: {rounds} rounds of {batch} rows with {history:N0} dispatched rows behind them, median {median:0.00} ms a round"));
    return median;
}

ServiceProvider Services(TimeSpan outboxRetention, TimeSpan inboxRetention, DateTimeOffset now)
{
    var services = new ServiceCollection();
    services.AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Messaging:OutboxRetention"] = outboxRetention.ToString("c"),
        ["Messaging:InboxRetention"] = inboxRetention.ToString("c"),
    }).Build());
    services.AddSingleton<TimeProvider>(new FixedClock(now));
    services.AddMessagingEndpoint<BenchDbContext>("bench");
    services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connectionString));
    var provider = services.BuildServiceProvider();
    _ = provider.GetRequiredService<IOptions<MessagingOptions>>().Value;
    return provider;
}

async Task<long> CountAsync(string table)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
    return (long)(await command.ExecuteScalarAsync())!;
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

// utime + stime of every PostgreSQL process (the server, its backends and background workers).
static TimeSpan PostgresCpu() => TimeSpan.FromSeconds(
    ProcCpu.Pids().Where(pid => ProcCpu.Name(pid)?.StartsWith("postgres", StringComparison.Ordinal) == true)
        .Sum(pid => ProcCpu.Ticks(pid) ?? 0) / ProcCpu.TicksPerSecond);

static int IntArg(string name, int fallback) => int.Parse(Arg(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
static double DoubleArg(string name, double fallback) => double.Parse(Arg(name) ?? fallback.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
static string? Arg(string name)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

internal sealed record Measurement(long Deleted, double RowsPerSecond, double PgUsPerRow, double ClientUsPerRow)
{
    public double TotalUsPerRow => PgUsPerRow + ClientUsPerRow;
}

internal sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : ServiceDbContext(options);

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
