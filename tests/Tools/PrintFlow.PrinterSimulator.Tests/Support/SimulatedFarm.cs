using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Printers.OctoPrint;

namespace PrintFlow.PrinterSimulator.Tests.Support;

/// <summary>The real simulator on a free local port, its clock a FakeTimeProvider, and MES's real OctoPrint client.</summary>
public sealed class SimulatedFarm : IAsyncDisposable
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    private readonly WebApplication _app;
    private readonly ServiceProvider _client;

    private SimulatedFarm(WebApplication app, ServiceProvider client, FakeTimeProvider time, string address)
    {
        _app = app;
        _client = client;
        Time = time;
        Address = address;
        Connection = client.GetRequiredService<IPrinterConnection>();
        Http = new HttpClient { BaseAddress = new Uri(address + "/") };
    }

    public FakeTimeProvider Time { get; }
    public string Address { get; }
    public IPrinterConnection Connection { get; }
    public HttpClient Http { get; }

    public static async Task<SimulatedFarm> StartAsync(int printers = 2, double speedUp = 60, string? faults = null, long? maxUploadBytes = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        List<string> args = ["--port", "0", "--printers", printers.ToString(CultureInfo.InvariantCulture),
            "--speedup", speedUp.ToString(CultureInfo.InvariantCulture)];
        if (faults is not null) args.AddRange(["--faults", faults]);
        if (maxUploadBytes is { } max) args.AddRange(["--max-upload-bytes", max.ToString(CultureInfo.InvariantCulture)]);
        var app = SimulatorProgram.Build([.. args], s => s.AddSingleton<TimeProvider>(time));
        await app.StartAsync();
        return new SimulatedFarm(app, Client(), time, SimulatorProgram.Address(app));
    }

    /// <summary>MES's registration, as a host makes it, with short timeouts (3 s: enough on a busy 2-core machine) so the hanging-printer tests stay quick.</summary>
    public static ServiceProvider Client()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mes:OctoPrint:RequestTimeout"] = RequestTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Mes:OctoPrint:UploadTimeout"] = "00:00:03",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPrinterConnection();
        return services.BuildServiceProvider(validateScopes: true);
    }

    public PrinterEndpoint Printer(int number, string? apiKey = null) =>
        new(new Uri($"{Address}/printers/{number}/"), apiKey ?? $"simulated-key-{number}");

    public static string GcodePath => Path.Combine(AppContext.BaseDirectory, "Gcode", "cube-20mm-prusaslicer.gcode");

    /// <summary>PrusaSlicer's own estimate in the fixture: "; estimated printing time (normal mode) = 29m 26s".</summary>
    public static readonly TimeSpan FixtureEstimate = new(0, 29, 26);

    public async Task<PrinterReply> UploadFixtureAsync(PrinterEndpoint printer, string name = "cube.gcode")
    {
        await using var gcode = File.OpenRead(GcodePath);
        return await Connection.UploadAndStartAsync(printer, name, gcode, CancellationToken.None);
    }

    public Task<PrinterStatus> StatusAsync(PrinterEndpoint printer) => Connection.GetStatusAsync(printer, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _client.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
