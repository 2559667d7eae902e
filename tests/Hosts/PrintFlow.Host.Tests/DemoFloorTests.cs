using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Host.Demo;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Printers;
using PrintFlow.ModelStorage;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The Development demo floor: the embedded host starts simulated printers in-process, registers them in MES once, and
/// a job taken on one of them is printed over OctoPrint's API and moves on by itself.
/// </summary>
public sealed partial class DemoFloorTests
{
    private static Dictionary<string, string?> Settings(string data) => new()
    {
        ["PrintFlow:DataDirectory"] = data,
        ["Demo:SimulatedPrinters"] = "3",
        // 1.5 h of printing takes 1.5 s.
        ["Demo:PrinterSpeedUp"] = "3600",
        ["Mes:Farm:PollInterval"] = "00:00:00.100",
        // Loopback stays refused for supervisors' forms: the demo registration does not go through it.
        ["Mes:Farm:AllowLoopback"] = "false",
    };

    [Fact]
    [Trait("Category", "Tools")]
    public async Task Start_WithSimulatedPrinters_ListsThemIdleOnTheFloorAndPrintsATakenBlackPlaJobToPostProcessing()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"))).FullName;
        using var host = new PrintFlowHost(Settings(data));
        var supervisor = WebSession.Open(host);
        await supervisor.SignInAsync("supervisor@printflow.local");

        var floor = await Eventually.UntilAsync(() => supervisor.GetPageAsync("/mes/floor"),
            html => CardStates(html).Count(c => c.Name.StartsWith(SimulatedPrinterFloor.NamePrefix, StringComparison.Ordinal) && c.State == "Idle") == 3,
            "the three simulated printers answer as idle on the floor", TimeSpan.FromSeconds(30));
        Assert.Equal(["Simulator 1", "Simulator 2", "Simulator 3"], CardStates(floor).Select(c => c.Name).Order());

        var printers = await InMes(host, sp => sp.GetRequiredService<MesDbContext>().Printers.AsNoTracking().OrderBy(p => p.Name).ToListAsync());
        var keys = host.Services.GetRequiredService<PrinterKeys>();
        Assert.All(printers, p =>
        {
            Assert.StartsWith("http://127.0.0.1:", p.BaseUrl, StringComparison.Ordinal);
            Assert.DoesNotContain(keys.Unprotect(p.ApiKeyProtected), p.ApiKeyProtected, StringComparison.Ordinal); // stored encrypted
        });

        var cube = await InMes(host, async sp =>
        {
            using var stl = new MemoryStream(StlFiles.BinaryCube(20));
            return (await sp.GetRequiredService<IModelStore>().SaveAsync(stl, CancellationToken.None)).Sha256;
        });
        var request = Request(cube);
        await host.DispatchAsync("mes", request);
        var olivia = await InMes(host, sp => sp.GetRequiredService<MesDbContext>().Accounts.Where(a => a.Email == "operator@printflow.local").Select(a => a.Id).SingleAsync());
        var first = printers[0];

        var taken = await InMes(host, sp => sp.GetRequiredService<FarmWork>().TakeNextOnPrinterAsync(first.PrinterId, olivia, CancellationToken.None));

        Assert.True(taken.Succeeded, taken.Message);
        var job = await Eventually.UntilAsync(
            () => InMes(host, sp => sp.GetRequiredService<MesDbContext>().Jobs.AsNoTracking().SingleAsync(j => j.OrderId == request.OrderId)),
            j => j.Stage == OrderStatus.PostProcessing, "the simulated print finishes and moves the job on", TimeSpan.FromSeconds(60));
        Assert.Equal(first.PrinterId, job.PrinterId);
    }

    [Fact]
    [Trait("Category", "Tools")]
    public async Task Restart_WithSimulatedPrinters_KeepsThePrintersAndPointsThemAtTheNewSimulator()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"))).FullName;
        List<(Guid Id, string Url, string Key)> before;
        using (var first = new PrintFlowHost(Settings(data)))
        {
            before = await RegisteredAsync(first);
        }

        using var second = new PrintFlowHost(Settings(data));
        var after = await RegisteredAsync(second);

        Assert.Equal(before.Select(p => p.Id), after.Select(p => p.Id));
        Assert.Equal(3, after.Select(p => p.Key).Except(before.Select(p => p.Key)).Count()); // fresh keys each start
        await Eventually.UntilAsync(
            () => InMes(second, sp => sp.GetRequiredService<MesDbContext>().Printers.CountAsync(p => p.State == PrinterState.Idle)),
            idle => idle == 3, "the printers answer at the new simulator", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Start_InProductionWithSimulatedPrintersAsked_StartsNone()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"))).FullName;
        var settings = Settings(data);
        settings["PrintFlow:DataProtection:CertificatePath"] = TestCertificates.CreatePfx(data); // Production keeps its keys under one
        settings["PrintFlow:DataProtection:CertificatePassword"] = "test-password";
        using var host = new PrintFlowHost(settings, Microsoft.Extensions.Hosting.Environments.Production);

        Assert.Null(host.Services.GetRequiredService<SimulatedPrinterFloor>().Address);
        Assert.Equal(0, await InMes(host, sp => sp.GetRequiredService<MesDbContext>().Printers.CountAsync()));
    }

    private static async Task<List<(Guid Id, string Url, string Key)>> RegisteredAsync(PrintFlowHost host)
    {
        _ = host.Services; // starts the host; the registration is part of its start
        var keys = host.Services.GetRequiredService<PrinterKeys>();
        var printers = await InMes(host, sp => sp.GetRequiredService<MesDbContext>().Printers.AsNoTracking().OrderBy(p => p.Name).ToListAsync());
        Assert.Equal(3, printers.Count);
        return [.. printers.Select(p => (p.PrinterId, p.BaseUrl, keys.Unprotect(p.ApiKeyProtected)))];
    }

    private static async Task<T> InMes<T>(PrintFlowHost host, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private static List<(string Name, string State)> CardStates(string html) =>
        [.. CardPattern().Matches(html).Select(m => (System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), m.Groups[2].Value))];

    [GeneratedRegex("data-printer-name=\"([^\"]*)\" data-state=\"([^\"]*)\"")]
    private static partial Regex CardPattern();

    private static ManufacturingRequested Request(string modelSha256)
    {
        var orderId = Guid.CreateVersion7();
        var itemId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        return new ManufacturingRequested(
            orderId,
            new CustomerRef("customer-" + orderId.ToString("N")[..8], "Ada Customer", "ada@example.com", SalesChannel.Shop),
            [new OrderItem(itemId, modelSha256, "cube.stl", 8000, "PLA", 1, "Black")],
            LeadTime.Standard,
            null,
            new QuoteSummary(Guid.NewGuid(), 12.50m, "EUR", "instant", now.AddDays(7),
                [new QuoteLine("cube.stl × 1", 12.50m)],
                [new ItemQuote(itemId, "cube.stl", 12, 8000, 1.5, 10, 12.50m, [])]),
            now);
    }
}
