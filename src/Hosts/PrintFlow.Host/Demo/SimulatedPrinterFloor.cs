using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.PrinterSimulator;

namespace PrintFlow.Host.Demo;

/// <summary>
/// In Development, starts <see cref="DemoOptions.SimulatedPrinters"/> virtual OctoPrint printers on a free loopback port and
/// registers them in MES (once; later starts only point them at the new port and key), so the demo shows a working floor.
/// The registration is written here, not through the supervisor's form, so loopback stays refused for user input
/// wherever <see cref="FarmOptions.AllowLoopback"/> is off.
/// </summary>
public sealed class SimulatedPrinterFloor(
    IOptions<DemoOptions> options, IHostEnvironment environment, IServiceScopeFactory scopes, PrinterKeys keys, LiveFeed feed,
    TimeProvider clock, ILogger<SimulatedPrinterFloor> logger) : IHostedService, IAsyncDisposable
{
    public const string NamePrefix = "Simulator ";
    private static readonly string[] LoadedMaterials = [Materials.Pla, Materials.Pla, Materials.Petg, Materials.Abs];

    // A coloured order fits only a printer with that spool loaded; Black and White are the shop's free colours (Black its default).
    private static readonly string[] LoadedColours = ["Black", "White", "Black", "Black"];
    private WebApplication? _simulator;

    /// <summary>Where the simulator listens once started; null when none runs.</summary>
    public string? Address { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = options.Value.SimulatedPrinters;
        if (count == 0)
        {
            return;
        }

        if (!environment.IsDevelopment())
        {
            logger.LogWarning("Demo:SimulatedPrinters is {Count} but simulated printers run only in Development; none started", count);
            return;
        }

        // Fresh keys every start: the simulator accepts only these, and MES stores them encrypted like any printer's key.
        var apiKeys = Enumerable.Range(1, count).Select(_ => "sim-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant()).ToArray();
        string[] args =
        [
            "--host", IPAddress.Loopback.ToString(), "--port", "0",
            "--printers", count.ToString(CultureInfo.InvariantCulture),
            "--speedup", options.Value.PrinterSpeedUp.ToString(CultureInfo.InvariantCulture),
            .. apiKeys.SelectMany((key, i) => new[] { $"--{SimulatorOptions.Section}:ApiKeys:{i}", key }),
        ];
        _simulator = SimulatorProgram.Build(args);
        await _simulator.StartAsync(cancellationToken);
        Address = SimulatorProgram.Address(_simulator);
        await RegisterAsync(apiKeys, cancellationToken);
        logger.LogInformation("{Count} simulated printers at {Address}/printers/{{n}}/ (speed-up {SpeedUp}x) are on the MES floor",
            count, Address, options.Value.PrinterSpeedUp);
    }

    private async Task RegisterAsync(string[] apiKeys, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MesDbContext>();
            var now = clock.GetUtcNow();
            for (var number = 1; number <= apiKeys.Length; number++)
            {
                var name = NamePrefix + number.ToString(CultureInfo.InvariantCulture);
                var url = new Uri($"{Address}/printers/{number}/");
                var key = apiKeys[number - 1];
                var printer = await db.Printers.FirstOrDefaultAsync(p => p.Name == name, cancellationToken);
                if (printer is null)
                {
                    var spec = new PrinterSpec(name, Technologies.Fdm, "Prusa MK4 (simulated)", "0.20mm QUALITY", 250, 210, 220, 0.4,
                        LoadedMaterials[(number - 1) % LoadedMaterials.Length], LoadedColours[(number - 1) % LoadedColours.Length]);
                    db.Printers.Add(Printer.Add(spec, url, keys.Protect(key), PrinterKeys.HintOf(key), now));
                }
                else if (printer.IsActive)
                {
                    // A supervisor's retirement stands; otherwise the printer follows the simulator to this start's port and key.
                    printer.Connect(url, keys.Protect(key), PrinterKeys.HintOf(key));
                }
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                feed.Notify(MesTopics.Floor);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // The printer monitor wrote a printer's state between our read and write; read again.
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_simulator is not null)
        {
            await _simulator.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
            _simulator = null;
        }
    }
}
