extern alias simulator;

using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;
using SimulatorProgram = simulator::PrintFlow.PrinterSimulator.SimulatorProgram;

namespace PrintFlow.Mes.Tests.Printers;

/// <summary>The "done when" in Chromium: the floor view over the real host, the real printer simulator and real G-code.</summary>
[Trait("Category", "Browser")]
[Trait("Category", "Tools")]
public sealed class FloorBrowserTests : BrowserTest
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 30_000 };
    private WebApplication _simulator = default!;
    private string _address = "";

    public override async Task InitializeAsync()
    {
        // The test request's 1.5 h estimate prints in 9 s; error-mid-print stops at 30 %.
        _simulator = SimulatorProgram.Build(["--port", "0", "--printers", "2", "--speedup", "600", "--error-at", "0.3"]);
        await _simulator.StartAsync();
        _address = SimulatorProgram.Address(_simulator);
        await base.InitializeAsync();
        await Host.ReadyAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _simulator.StopAsync();
        await _simulator.DisposeAsync();
    }

    private async Task AddPrinterAsync(string name, int number)
    {
        var supervisor = await Host.AccountIdAsync(Browserless.Supervisor);
        var form = new PrinterForm(name, "FDM", "Prusa MK4", "0.20mm QUALITY", "250", "210", "220", "0.4", "PLA", null,
            $"{_address}/printers/{number}/", $"simulated-key-{number}");
        var added = await Host.InScopeAsync(sp => sp.GetRequiredService<FarmWork>().AddAsync(form, supervisor, CancellationToken.None));
        Assert.True(added.Succeeded, added.Message);
    }

    private static ILocator Card(IPage page, string name) => page.Locator($"[data-testid='printer-card'][data-printer-name='{name}']");

    [Fact]
    public async Task Floor_WhenAnOrderArrives_TheOperatorPrintsItOnAFittingPrinterWithLiveProgressAndItMovesOnByItself()
    {
        await AddPrinterAsync("Sim-1", 1);
        await AddPrinterAsync("Sim-2", 2);
        var page = await SignedInPageAsync(Browserless.Operator, "/mes/floor", Browserless.Password);
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(Card(page, "Sim-1")).ToHaveAttributeAsync("data-state", "Idle", new() { Timeout = 30_000 });

        // Two small orders arrive and are printed on one plate on Sim-1 (sliced by PrusaSlicer); the card shows the
        // progress live, then both jobs move on by themselves.
        var cube = await Jobs.StoreModelAsync(Host);
        var request = Jobs.Request(modelSha256: cube, size: new PartSize(20, 20, 20), quantity: 1);
        var partner = Jobs.Request(modelSha256: cube, size: new PartSize(20, 20, 20), quantity: 1);
        await Host.DispatchAsync(request);
        await Host.DispatchAsync(partner);
        await Card(page, "Sim-1").GetByTestId("printer-take-next").ClickAsync();
        var orderNumber = OrderNumber.From(request.OrderId);
        await Assertions.Expect(page.GetByTestId("mes-message"))
            .ToHaveTextAsync($"Orders {orderNumber}, {OrderNumber.From(partner.OrderId)} are printing together on one plate on Sim-1.", new() { Timeout = 60_000 });
        await Assertions.Expect(Card(page, "Sim-1").GetByTestId("printer-job")).ToContainTextAsync(orderNumber, new() { Timeout = 30_000 });
        await Assertions.Expect(Card(page, "Sim-1").Locator("[data-testid='printer-progress']:not([data-progress='0'])")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(Card(page, "Sim-1")).ToHaveAttributeAsync("data-state", "Idle", new() { Timeout = 60_000 });
        foreach (var onPlate in new[] { request, partner })
        {
            await Eventually.UntilAsync(() => Host.JobAsync(onPlate.OrderId), j => j.Stage == OrderStatus.PostProcessing, "the plate's jobs moved to post-processing");
        }

        // A part too large for every printer is flagged with the reason.
        var large = Jobs.Request();
        large = large with { Quote = large.Quote with { Items = [large.Quote.Items[0] with { SizeMm = new PartSize(600, 100, 100) }] } };
        await Host.DispatchAsync(large);
        await Assertions.Expect(page.Locator($"[data-testid='unschedulable-job'][data-order='{OrderNumber.From(large.OrderId)}']"))
            .ToContainTextAsync("does not fit the build volume of any FDM printer", new() { Timeout = 30_000 });

        // A printer error mid-print returns the job to the queue with the reason, shown on the card.
        using (var control = new HttpClient { BaseAddress = new Uri(_address + "/") })
        {
            (await control.PutAsJsonAsync("control/printers/2/fault", new { fault = "error-mid-print" })).EnsureSuccessStatusCode();
        }

        var failing = Jobs.Request(modelSha256: cube);
        await Host.DispatchAsync(failing);
        await Assertions.Expect(Card(page, "Sim-2")).ToHaveAttributeAsync("data-state", "Idle", new() { Timeout = 30_000 });
        await Card(page, "Sim-2").GetByTestId("printer-take-next").ClickAsync();
        await Assertions.Expect(Card(page, "Sim-2")).ToHaveAttributeAsync("data-state", "Error", new() { Timeout = 60_000 });
        await Assertions.Expect(Card(page, "Sim-2").GetByTestId("printer-error")).ToBeVisibleAsync(Visible);
        var requeued = await Eventually.UntilAsync(() => Host.JobAsync(failing.OrderId), j => j.AwaitingPrinter && j.PrintId is null,
            "the failed print put the job back in the queue");
        Assert.Contains("reported an error mid-print", requeued.History.OrderBy(h => h.Id).Last().Reason, StringComparison.Ordinal);
    }
}
