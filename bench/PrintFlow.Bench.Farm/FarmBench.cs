extern alias simulator;

using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using SimulatorProgram = simulator::PrintFlow.PrinterSimulator.SimulatorProgram;

namespace PrintFlow.Bench.Farm;

/// <summary>
/// bench/farm.sh: the same orders run twice through the real embedded host and a fleet of simulated printers, once with
/// plates and once one part per print, with faults injected. Times are the printers' own: each print lasts its G-code's
/// estimate, and a printer's timeline is its prints back to back (all orders wait from the start), so the seconds spent
/// slicing on this machine, which a real farm slices ahead of hours of printing, do not distort the figures.
/// </summary>
public static class FarmBench
{
    private static readonly (string File, double X, double Y, double Z)[] Models =
        [("cube-20mm.stl", 20, 20, 20), ("cylinder-d30-h40.stl", 30, 30, 40), ("plate-holes-60x40x6.stl", 60, 40, 6)];

    public static async Task<int> Main(string[] args)
    {
        var printers = Option(args, "--printers", 8);
        var orders = Option(args, "--orders", 300);
        var speedup = Option(args, "--speedup", 20000);
        var faultEvery = Option(args, "--fault-every", 15);
        var random = new Random(Option(args, "--seed", 27));
        var requests = Enumerable.Range(0, orders).Select(i => Order(random, i)).ToList();
        Console.Error.WriteLine($"== farm: {printers} printers, {orders} orders, speed-up {speedup}, a fault every {faultEvery} prints");

        var plates = await RunAsync("plates", true, printers, requests, speedup, faultEvery);
        var single = await RunAsync("one part per print", false, printers, requests, speedup, faultEvery);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"single_part: makespan_h={single.MakespanHours:0.0} prints={single.Prints} utilisation={single.Utilisation:0.0}% wait_p95_min={single.WaitP95Minutes:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plates: makespan_h={plates.MakespanHours:0.0} prints={plates.Prints} slices={plates.Slices} wall_s={plates.WallSeconds:0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"printers={printers} orders={orders} utilisation={plates.Utilisation:0.0}% wait_p95_min={plates.WaitP95Minutes:0} reprinted={plates.Reprinted} lost={plates.Lost + single.Lost} printed_twice={plates.PrintedTwice + single.PrintedTwice} makespan_ratio={plates.MakespanHours / single.MakespanHours:0.00}"));
        return plates.Lost + single.Lost + plates.PrintedTwice + single.PrintedTwice == 0 ? 0 : 1;
    }

    private static ManufacturingRequested Order(Random random, int index)
    {
        var model = Models[random.Next(Models.Length)];
        var material = random.NextDouble() < 0.7 ? "PLA" : "PETG";
        var lead = random.NextDouble() < 0.1 ? LeadTime.Express : LeadTime.Standard;
        var orderId = Guid.CreateVersion7();
        var itemId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow.AddSeconds(index);
        return new ManufacturingRequested(orderId, new CustomerRef($"bench-{index}", "Bench Customer", "bench@example.com", SalesChannel.Shop),
            [new OrderItem(itemId, model.File, model.File, 1000, material, 1)], lead, null,
            new QuoteSummary(Guid.NewGuid(), 10m, "EUR", "instant", now.AddDays(7), [new QuoteLine(model.File, 10m)],
                [new ItemQuote(itemId, model.File, 12, 8000, 0.5, 10, 10m, []) { SizeMm = new PartSize(model.X, model.Y, model.Z) }]),
            now);
    }

    private sealed record Outcome(double MakespanHours, double Utilisation, double WaitP95Minutes, int Prints, int Slices, int Reprinted, int Lost, int PrintedTwice, double WallSeconds);

    private static async Task<Outcome> RunAsync(string name, bool plates, int printerCount, List<ManufacturingRequested> template, int speedup, int faultEvery)
    {
        var data = Directory.CreateTempSubdirectory("printflow-farm-");
        var simulator = SimulatorProgram.Build(["--port", "0", "--printers", printerCount.ToString(CultureInfo.InvariantCulture),
            "--speedup", speedup.ToString(CultureInfo.InvariantCulture), "--error-at", "0.4"]);
        await simulator.StartAsync();
        var address = SimulatorProgram.Address(simulator);
        using var control = new HttpClient { BaseAddress = new Uri(address + "/") };
        await using var host = new Host(data.FullName, plates);
        var started = DateTimeOffset.UtcNow;
        try
        {
            var services = host.Services;
            var shas = new Dictionary<string, string>();
            foreach (var (file, _, _, _) in Models)
            {
                await using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Models", file));
                shas[file] = (await InScope(services, sp => sp.GetRequiredService<IModelStore>().SaveAsync(stream, CancellationToken.None))).Sha256;
            }

            // The same orders (fresh ids per run), pointing at the stored models.
            var requests = template.Select(r => r with
            {
                OrderId = Guid.CreateVersion7(),
                Items = [r.Items[0] with { ModelSha256 = shas[r.Items[0].ModelSha256] }],
            }).ToList();
            var operators = await AddOperatorsAsync(services, requests.Count);
            var supervisor = await InScope(services, sp => sp.GetRequiredService<MesDbContext>().Accounts.Where(a => a.Role == Roles.Supervisor).Select(a => a.Id).FirstAsync());
            var printerIds = new List<Guid>();
            for (var n = 1; n <= printerCount; n++)
            {
                var material = n % 3 == 0 ? "PETG" : "PLA";
                var form = new PrinterForm($"Sim-{n}", "FDM", "Prusa MK3S", "MK3S 0.20mm", "250", "210", "210", "0.4", material, null,
                    $"{address}/printers/{n}/", $"simulated-key-{n}");
                var added = await InScope(services, sp => sp.GetRequiredService<FarmWork>().AddAsync(form, supervisor, CancellationToken.None));
                printerIds.Add(added.JobId ?? throw new InvalidOperationException(added.Message));
            }

            foreach (var request in requests)
            {
                await Endpoint(services).DispatchAsync(new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<ManufacturingRequested>(), request.OrderId,
                    MessageSerializer.Serialize(request), DateTimeOffset.UtcNow, null), CancellationToken.None);
            }

            var ids = requests.Select(r => r.OrderId).ToHashSet();
            var takes = 0;
            var faulted = new HashSet<int>();
            var deadline = DateTimeOffset.UtcNow.AddMinutes(12);
            while (DateTimeOffset.UtcNow < deadline)
            {
                var (done, floor) = await InScope(services, async sp =>
                {
                    var db = sp.GetRequiredService<MesDbContext>();
                    var finished = await db.Jobs.CountAsync(j => j.Stage == OrderStatus.PostProcessing);
                    return (finished, await db.Printers.AsNoTracking().OrderBy(p => p.Name).ToListAsync());
                });
                if (done >= requests.Count)
                {
                    break;
                }

                for (var i = 0; i < floor.Count; i++)
                {
                    var printer = floor[i];
                    var number = int.Parse(printer.Name[4..], CultureInfo.InvariantCulture);
                    if (printer.State == PrinterState.Error && faulted.Remove(number))
                    {
                        // The operator clears the failed print off the bed and the printer is back.
                        await control.PutAsJsonAsync($"control/printers/{number}/fault", new { fault = "none" });
                        await control.PostAsync($"control/printers/{number}/reset", null);
                        continue;
                    }

                    if (!printer.CanTakeWork)
                    {
                        continue;
                    }

                    if (faultEvery > 0 && ++takes % faultEvery == 0 && faulted.Add(number))
                    {
                        await control.PutAsJsonAsync($"control/printers/{number}/fault", new { fault = "error-mid-print" });
                    }

                    var who = operators[takes % operators.Count];
                    var outcome = await InScope(services, sp => sp.GetRequiredService<FarmWork>().TakeNextOnPrinterAsync(printer.PrinterId, who, CancellationToken.None));
                    if (!outcome.Succeeded && faulted.Remove(number))
                    {
                        await control.PutAsJsonAsync($"control/printers/{number}/fault", new { fault = "none" });
                    }
                }

                await Task.Delay(50);
            }

            var wall = (DateTimeOffset.UtcNow - started).TotalSeconds;
            return await MeasureAsync(name, services, ids, printerCount, wall);
        }
        finally
        {
            await simulator.StopAsync();
            await simulator.DisposeAsync();
        }
    }

    private static async Task<Outcome> MeasureAsync(string name, IServiceProvider services, HashSet<Guid> ids, int printerCount, double wall)
    {
        return await InScope(services, async sp =>
        {
            var db = sp.GetRequiredService<MesDbContext>();
            var jobs = await db.Jobs.AsNoTracking().Include(j => j.History).Where(j => ids.Contains(j.OrderId)).ToListAsync();
            var plates = await db.Plates.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync();
            // Each printer's timeline in its own time: its plates back to back, a failed one for the part it printed.
            var timeline = new Dictionary<Guid, double>();
            var startOf = new Dictionary<Guid, double>();
            double busy = 0;
            foreach (var plate in plates)
            {
                var start = timeline.GetValueOrDefault(plate.PrinterId);
                var hours = plate.State == PlateState.Failed ? plate.PrintHours * 0.4 : plate.PrintHours;
                timeline[plate.PrinterId] = start + hours;
                startOf[plate.PlateId] = start;
                busy += hours;
            }

            var makespan = timeline.Count == 0 ? 0 : timeline.Values.Max();
            var waits = new List<double>();
            foreach (var job in jobs.Where(j => j.Stage == OrderStatus.PostProcessing && j.PrintId is { } id && startOf.ContainsKey(id)))
            {
                waits.Add(startOf[job.PrintId!.Value] * 60);
            }

            waits.Sort();
            var p95 = waits.Count == 0 ? 0 : waits[Math.Min(waits.Count - 1, (int)Math.Ceiling(waits.Count * 0.95) - 1)];
            var lost = jobs.Count(j => j.Stage != OrderStatus.PostProcessing) + (ids.Count - jobs.Count);
            var twice = jobs.Count(j => j.History.Count(h => h.Kind == StepKind.Stage && h.Stage == OrderStatus.PostProcessing) > 1);
            var reprinted = jobs.Count(j => j.PrintAttempts > 1);
            var slices = Directory.Exists(CacheOf(sp)) ? Directory.GetFiles(CacheOf(sp), "*.gcode").Length : 0;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"== {name}: {plates.Count} prints ({plates.Count(p => p.State == PlateState.Failed)} failed), {plates.Count(p => p.JobCount > 1)} plates of several jobs, makespan {makespan:0.0} h, {wall:0} s wall, {slices} distinct G-codes"));
            return new Outcome(makespan, makespan == 0 ? 0 : 100 * busy / (printerCount * makespan), p95, plates.Count, slices, reprinted, lost, twice, wall);
        });
    }

    private static string CacheOf(IServiceProvider services) =>
        Path.Combine(services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["PrintFlow:DataDirectory"]!, "gcode-cache");

    /// <summary>Enough operators that the work-in-progress limit (jobs finish in post-processing here) never stops a printer.</summary>
    private static async Task<List<Guid>> AddOperatorsAsync(IServiceProvider services, int jobs)
    {
        var count = jobs / 90 + 1;
        return await InScope(services, async sp =>
        {
            var db = sp.GetRequiredService<MesDbContext>();
            var ids = new List<Guid>();
            for (var i = 0; i < count; i++)
            {
                var account = new MesAccount(Guid.CreateVersion7(), $"bench-{i}@printflow.local", $"Bench Operator {i}", Roles.Operator, "", [.. Materials.All]);
                db.Accounts.Add(account);
                ids.Add(account.Id);
            }

            await db.SaveChangesAsync();
            return ids;
        });
    }

    private static IMessageEndpoint Endpoint(IServiceProvider services) => services.GetServices<IMessageEndpoint>().Single(e => e.Name == "mes");

    private static async Task<T> InScope<T>(IServiceProvider services, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The real host, embedded (SQLite, in-process messaging), Development for the demo staff.</summary>
    private sealed class Host(string dataDirectory, bool plates) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Development);
            builder.UseSetting("PrintFlow:DataDirectory", dataDirectory);
            builder.UseSetting("FeatureManagement:Plates", plates ? "true" : "false");
            builder.UseSetting("Mes:WipLimit", "100");
            builder.UseSetting("Mes:Farm:PollInterval", "00:00:00.050");
            builder.UseSetting("Mes:Farm:AllowLoopback", "true");
            builder.UseSetting("Mes:Farm:PlateMaxJobs", "4");
            builder.UseSetting("Logging:LogLevel:Default", "Error");
        }
    }
}
