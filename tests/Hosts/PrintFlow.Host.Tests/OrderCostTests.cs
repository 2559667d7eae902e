using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;
using Xunit.Abstractions;

namespace PrintFlow.Host.Tests;

/// <summary>
/// What a partner order costs every service in SQL statements, on PostgreSQL, counted from EF's diagnostic events: a
/// budget per service, so a change that adds a round trip to every order shows here before it shows as latency in
/// bench/pipeline.sh. Also prints the host's CPU and allocations per order (not asserted: they depend on the machine).
/// </summary>
[Trait("Category", "Infrastructure")]
[Trait("Category", "Slow")]
public sealed class OrderCostTests(ITestOutputHelper output)
{
    private const int Orders = 150;
    private static readonly string[] Services = ["shop", "partners", "ordering", "pricing", "mes", "crm", "notifications"];
    private static readonly ConcurrentDictionary<string, int> Statements = new();
    private static volatile bool _counting;
    private static long _lastStatementAt;

    /// <summary>About 10 % above what each service took on 2026-12-06 (dba516d, 150 orders: total 68.8), for batching's spread.</summary>
    private static readonly Dictionary<string, double> Budget = new()
    {
        ["partners"] = 21.5, ["ordering"] = 21.5, ["crm"] = 18.5, ["mes"] = 10, ["pricing"] = 4.2, ["shop"] = 1, ["notifications"] = 1,
    };

    [Fact]
    public async Task PartnerOrders_OnPostgres_StayWithinEachServicesStatementBudget()
    {
        using var subscription = DiagnosticListener.AllListeners.Subscribe(new Observer());
        var databases = new List<PostgresTestDatabase>();
        foreach (var service in Services)
        {
            databases.Add(await PostgresTestDatabase.CreateAsync("cost_" + service));
        }

        try
        {
            var settings = PrintFlowHost.OnPostgres([.. Services.Select((s, i) => (s, databases[i].ConnectionString))]);
            settings["Messaging:PollInterval"] = "00:00:05"; // deliveries wake the relays; idle polls would count as the order's
            settings["Mes:Farm:MonitorEnabled"] = "false"; // no printers here: the monitor's rounds cost time, not orders
            using var host = new PrintFlowHost(settings);
            using var client = host.CreateClient();
            client.DefaultRequestHeaders.Add("X-Api-Key", "pfk_load_0123456789abcdef"); // auto-confirmed quotes
            var model = StlFiles.BinaryCube(25);
            await PlaceAndFollowAsync(client, model, 30, "warm");

            Statements.Clear();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            Interlocked.Exchange(ref _lastStatementAt, Stopwatch.GetTimestamp());
            _counting = true;
            await PlaceAndFollowAsync(client, model, Orders, "run");
            // The last status events reach CRM, Partners and Notifications after Ordering recorded the target: count until
            // no statement has run for half a second.
            await Eventually.UntilAsync(() => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastStatementAt)) >= TimeSpan.FromMilliseconds(500),
                "the services went quiet after the last order", TimeSpan.FromSeconds(30));
            _counting = false;
            process.Refresh();

            var perService = Services.ToDictionary(s => s, s => Statements.GetValueOrDefault(s) / (double)Orders);
            output.WriteLine(FormattableString.Invariant(
                $"cpu_ms_per_order={(process.TotalProcessorTime - cpuBefore).TotalMilliseconds / Orders:F1} alloc_kb_per_order={(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1024.0 / Orders:F0} statements_per_order total={perService.Values.Sum():F1} ")
                + string.Join(' ', perService.Select(s => FormattableString.Invariant($"{s.Key}={s.Value:F2}"))));
            Assert.All(perService, s => Assert.True(s.Value <= Budget[s.Key], $"{s.Key}: {s.Value:F2} statements per order, budget {Budget[s.Key]}"));
        }
        finally
        {
            _counting = false;
            foreach (var database in databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    private static async Task PlaceAndFollowAsync(HttpClient client, byte[] model, int count, string label)
    {
        var ids = new ConcurrentBag<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent("PLA"), "material" },
                { new StringContent("1"), "quantity" },
                { new StringContent($"{label}-{i}"), "reference" },
                { new StringContent("""{"recipient":"Cost Test","line1":"Hauptstraße 5","city":"Berlin","postalCode":"10115","country":"DE"}"""), "shippingAddress" },
            };
            var file = new ByteArrayContent(model);
            file.Headers.ContentType = new MediaTypeHeaderValue("model/stl");
            form.Add(file, "model", $"part-{i}.stl");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/partners/v1/orders") { Content = form };
            request.Headers.Add("Idempotency-Key", $"{label}-{Guid.NewGuid():N}");
            using var response = await client.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid());
        });

        // The oldest unsettled order first, as printflow-load follows them: about one request per order.
        foreach (var id in ids)
        {
            await Eventually.UntilAsync(
                () => client.GetFromJsonAsync<JsonElement>($"/api/partners/v1/orders/{id}"),
                order => order.GetProperty("history").EnumerateArray().Any(h => h.GetProperty("status").GetString() == "ManufacturingApproved"),
                $"order {id} reached ManufacturingApproved");
        }
    }

    private sealed class Observer : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                listener.Subscribe(this, name => name == RelationalEventId.CommandExecuting.Name);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            // Only this test's databases: other host tests run in parallel in the same process and use EF too.
            if (_counting && value.Value is CommandEventData { Context: { } context, Command: var command }
                && command.Connection?.Database?.StartsWith("pf_cost_", StringComparison.Ordinal) == true)
            {
                // A batch counts each of its statements, as pg_stat_statements does (bench/statements.sh).
                var service = context.GetType().Name.Replace("DbContext", "", StringComparison.Ordinal).ToLowerInvariant();
                var count = Math.Max(1, command.CommandText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length);
                Statements.AddOrUpdate(service, count, (_, total) => total + count);
                Interlocked.Exchange(ref _lastStatementAt, Stopwatch.GetTimestamp());
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
