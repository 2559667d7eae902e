using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Bench.Mes;

// MES benchmark (see docs/mes.md): a throw-away PostgreSQL database with N jobs, the real host on it, and
// (a) the first page of the queue, (b) typical filtered pages, (c) confirmation-to-dashboard latency.
public static class MesBench
{
    public static async Task Main(string[] args)
    {
        var jobs = IntArg("--jobs", 1_000_000);
        var requests = IntArg("--requests", 1000);
        var liveJobs = IntArg("--live", 200);
        var server = Environment.GetEnvironmentVariable("PRINTFLOW_BENCH_PG") ?? "Host=localhost;Username=printflow;Password=printflow";
        void Say(string line) => Console.Error.WriteLine(line);

        var prefix = $"pfbench_mes_{DateTime.UtcNow:yyyyMMddHHmmss}_{Environment.ProcessId}";
        var dataDirectory = Path.Combine(Path.GetTempPath(), prefix);
        await using var databases = new BenchDatabases(server, prefix) { Keep = args.Contains("--keep") };
        Say($"== throw-away databases {prefix}_*");
        await databases.CreateAsync();
        try
        {
            Say("== starting the host on PostgreSQL (the MES schema comes from its own initializer)");
            await using var host = new BenchHost(databases, dataDirectory);
            var address = host.Start();
            await WaitUntilAsync(() => host.Services.GetServices<IDatabaseInitializer>().All(i => i.IsReady), "the databases are initialized");
            await WaitUntilAsync(() => CountAsync(databases.ConnectionString("mes"), "SELECT count(*) FROM mes_accounts").Result >= 3, "the demo staff exist");

            var shape = JobSeeder.Shape.For(jobs);
            Say($"== seeding {jobs:N0} jobs ({shape.Waiting:N0} waiting, {shape.Taken + shape.Printing + shape.PostProcessing + shape.QualityCheck + shape.Packed:N0} in progress, {shape.Shipped:N0} shipped, the rest delivered or cancelled)");
            var seeding = Stopwatch.StartNew();
            await JobSeeder.SeedAsync(databases.ConnectionString("mes"), shape, Say);
            Say($"   seeded in {seeding.Elapsed.TotalSeconds:0.0} s");

            var orderNumbers = await ListAsync(databases.ConnectionString("mes"),
                "SELECT \"OrderNumber\" FROM mes_jobs TABLESAMPLE SYSTEM (1) LIMIT 200");
            string[] surnames = ["Lovelace", "Turing", "Hopper", "Noether", "Curie", "Tesla", "Acme Parts", "Helix"];

            var client = await FloorClient.SignInAsync(address, "operator@printflow.local", "demo-password");
            var results = new List<(string Name, Percentiles Total, Percentiles Db)>();

            async Task MeasureAsync(string name, Func<int, string> queryOf)
            {
                for (var i = 0; i < 50; i++)
                {
                    await client.FragmentAsync(queryOf(i));
                }

                var totals = new List<double>(requests);
                var dbs = new List<double>(requests);
                for (var i = 0; i < requests; i++)
                {
                    var (total, db, _) = await client.FragmentAsync(queryOf(i));
                    totals.Add(total);
                    dbs.Add(db);
                }

                results.Add((name, Percentiles.Of(totals), Percentiles.Of(dbs)));
                Say($"   {name}: p50 {results[^1].Total.P50:0.00} ms, p99 {results[^1].Total.P99:0.00} ms");
            }

            Say($"== queue pages, {requests} requests each after 50 warm-up requests (server time from Server-Timing)");
            await MeasureAsync("first page", _ => "");
            await MeasureAsync("material=Resin", _ => "?material=Resin");
            await MeasureAsync("material=PETG", _ => "?material=PETG");
            await MeasureAsync("stage=Printing", _ => "?stage=Printing");
            await MeasureAsync("stage=Delivered", _ => "?stage=Delivered");
            await MeasureAsync("stage=Delivered&material=ABS", _ => "?stage=Delivered&material=ABS");
            await MeasureAsync("priority=Express", _ => "?priority=Express");
            await MeasureAsync("channel=Partner", _ => "?channel=Partner");
            await MeasureAsync("search order number", i => "?q=" + orderNumbers[i % orderNumbers.Count]);
            await MeasureAsync("search customer", i => "?q=" + Uri.EscapeDataString(surnames[i % surnames.Length]));
            var nextPages = await NextPagesAsync(client, 40);
            await MeasureAsync("keyset pages 2-40", i => nextPages[i % nextPages.Count]);

            Say($"== live latency over {liveJobs} jobs (dispatch ManufacturingRequested -> event stream notice -> fragment shows the job)");
            var live = Percentiles.Of(await new LiveProbe(client, host.Services).RunAsync(liveJobs, Say));

            Console.WriteLine();
            Console.WriteLine($"MES benchmark: {jobs:N0} jobs on PostgreSQL, {requests} requests per row, server time (ms) from Server-Timing");
            Console.WriteLine($"{"request",-30} {"n",6} {"p50",8} {"p99",8} {"max",8} {"db p50",8} {"db p99",8}");
            foreach (var (name, total, db) in results)
            {
                Console.WriteLine($"{name,-30} {total.Count,6} {F(total.P50),8} {F(total.P99),8} {F(total.Max),8} {F(db.P50),8} {F(db.P99),8}");
            }

            Console.WriteLine($"{"live: confirmation -> screen",-30} {live.Count,6} {F(live.P50),8} {F(live.P99),8} {F(live.Max),8}");
            Console.WriteLine($"({Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; filtered p99 = the worst filtered row)");
            var filtered = results.Skip(1).Max(r => r.Total.P99);
            Console.WriteLine($"first_page_p99_ms={F(results[0].Total.P99)} filtered_p99_ms={F(filtered)} live_p99_ms={F(live.P99)} jobs={jobs}");
        }
        finally
        {
            Say(databases.Keep ? "== keeping the databases (--keep)" : "== dropping the throw-away databases");
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

        int IntArg(string name, int fallback)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
        }

        static async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (!condition())
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
                await Task.Delay(100);
            }
        }

        static async Task<long> CountAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        static async Task<List<string>> ListAsync(string connectionString, string sql)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var values = new List<string>();
            while (await reader.ReadAsync()) values.Add(reader.GetString(0));
            return values;
        }

        // The query strings of pages 2..n of the unfiltered queue, following each page's "Next page" link.
        static async Task<List<string>> NextPagesAsync(FloorClient client, int pages)
        {
            var queries = new List<string>();
            var query = "";
            for (var i = 1; i < pages; i++)
            {
                var (_, _, html) = await client.FragmentAsync(query);
                var next = Regex.Match(html, "href=\"/mes(?<q>\\?[^\"]*)\" data-testid=\"queue-next-page\"");
                if (!next.Success) break;
                query = System.Net.WebUtility.HtmlDecode(next.Groups["q"].Value);
                queries.Add(query);
            }

            return queries;
        }
    }
}
