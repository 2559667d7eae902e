extern alias simulator;

using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;
using SimulatorProgram = simulator::PrintFlow.PrinterSimulator.SimulatorProgram;

namespace PrintFlow.Mes.Tests.Printers;

/// <summary>FeatureManagement:Plates switched off: every print is one job, however small the waiting jobs are.</summary>
[Trait("Category", "Tools")]
public sealed class PlatesFlagTests : IAsyncLifetime
{
    private readonly PrintFlowHost _host = new(new Dictionary<string, string?>
    {
        ["FeatureManagement:Plates"] = "false",
        ["Mes:Farm:PollInterval"] = "00:00:00.100",
        ["Mes:Farm:AllowLoopback"] = "true",
    });

    private WebApplication _simulator = default!;

    public async Task InitializeAsync()
    {
        _simulator = SimulatorProgram.Build(["--port", "0", "--printers", "1", "--speedup", "3600"]);
        await _simulator.StartAsync();
        await _host.ReadyAsync();
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _simulator.StopAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task TakeNextOnPrinter_WhenPlatesAreSwitchedOff_PrintsTheMostUrgentJobAlone()
    {
        var supervisor = await _host.AccountIdAsync(Browserless.Supervisor);
        var form = new PrinterForm("Sim-1", "FDM", "Prusa MK4", "0.20mm QUALITY", "250", "210", "220", "0.4", "PLA", null,
            $"{SimulatorProgram.Address(_simulator)}/printers/1/", "simulated-key-1");
        var printer = (await _host.InScopeAsync(sp => sp.GetRequiredService<FarmWork>().AddAsync(form, supervisor, CancellationToken.None))).JobId!.Value;
        await Eventually.UntilAsync(() => _host.WithDbAsync(db => db.Printers.AsNoTracking().SingleAsync(p => p.PrinterId == printer)),
            p => p.State == PrinterState.Idle, "the simulator answers as idle", TimeSpan.FromSeconds(30));
        var cube = await Jobs.StoreModelAsync(_host);
        var first = Jobs.Request(modelSha256: cube, size: new PartSize(20, 20, 20), quantity: 1);
        var second = Jobs.Request(modelSha256: cube, size: new PartSize(20, 20, 20), quantity: 1);
        await _host.DispatchAsync(first);
        await _host.DispatchAsync(second);
        var olivia = await _host.AccountIdAsync(Browserless.Operator);

        var taken = await _host.InScopeAsync(sp => sp.GetRequiredService<FarmWork>().TakeNextOnPrinterAsync(printer, olivia, CancellationToken.None));

        Assert.True(taken.Succeeded, taken.Message);
        var plate = await _host.WithDbAsync(db => db.Plates.AsNoTracking().SingleAsync());
        Assert.Equal(1, plate.JobCount);
        Assert.True((await _host.JobAsync(second.OrderId)).AwaitingPrinter);
        await Eventually.UntilAsync(() => _host.JobAsync(first.OrderId), j => j.Stage == OrderStatus.PostProcessing,
            "the single print finishes", TimeSpan.FromSeconds(60));
    }
}
