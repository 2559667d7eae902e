using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PrintFlow.PrinterSimulator;

/// <summary>The standalone simulator: <c>--printers 4 --speedup 60 --port 5900 [--host 127.0.0.1] [--faults 2=error-mid-print]</c>.</summary>
public static class SimulatorProgram
{
    private static readonly Dictionary<string, string> Switches = new(StringComparer.OrdinalIgnoreCase)
    {
        ["--printers"] = "PrinterSimulator:Printers",
        ["--speedup"] = "PrinterSimulator:SpeedUp",
        ["--port"] = "PrinterSimulator:Port",
        ["--host"] = "PrinterSimulator:Host",
        ["--faults"] = "PrinterSimulator:Faults",
        ["--max-upload-bytes"] = "PrinterSimulator:MaxUploadBytes",
        ["--error-at"] = "PrinterSimulator:ErrorAtProgress",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication app;
        try
        {
            app = Build(args);
            await app.StartAsync();
        }
        catch (Exception e) when (e is OptionsValidationException or FormatException or IOException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"printer simulator: {e.Message}");
            return 2;
        }
        var farm = app.Services.GetRequiredService<PrinterFarm>();
        var address = Address(app);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PrintFlow printer simulator: {farm.Printers.Count} printers, speed-up {farm.Options.SpeedUp}x, control {address}/control/printers"));
        foreach (var printer in farm.Printers)
            Console.WriteLine($"printer {printer.Number} {address}/printers/{printer.Number}/ {printer.ApiKey} {PrinterFaults.Name(printer.Fault)}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Where a started simulator listens (the real port when 0 was asked for).</summary>
    public static string Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return (addresses?.FirstOrDefault() ?? app.Urls.First()).TrimEnd('/');
    }

    /// <summary>The standalone app, not started; tests and <see cref="RunAsync"/> share it.</summary>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddCommandLine(args, Switches);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var options = builder.Configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{options.Host}:{options.Port}"));
        builder.Services.AddPrinterSimulator();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapPrinterSimulator();
        return app;
    }
}
