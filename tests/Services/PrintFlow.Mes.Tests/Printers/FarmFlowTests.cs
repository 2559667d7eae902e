extern alias simulator;

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Printers;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Messaging;
using PrintFlow.Testing;
using SimulatorProgram = simulator::PrintFlow.PrinterSimulator.SimulatorProgram;

namespace PrintFlow.Mes.Tests.Printers;

/// <summary>
/// The print farm end to end on the real host and the real printer simulator (over HTTP on loopback, real clock, a
/// high speed-up): printers added by a supervisor, take-next on a printer, the monitor settling prints, and each bad
/// printer shown on its card with the reason.
/// </summary>
public sealed class FarmFlowTests : IAsyncLifetime
{
    private readonly PrintFlowHost _host = new(new Dictionary<string, string?>
    {
        ["Mes:Farm:PollInterval"] = "00:00:00.100",
        ["Mes:Farm:PrinterTimeout"] = "00:00:02",
        ["Mes:Farm:AllowLoopback"] = "true",
        ["Mes:OctoPrint:RequestTimeout"] = "00:00:02",
    });

    private WebApplication _simulator = default!;
    private string _address = "";
    private HttpClient _control = default!;
    private string _cube = "";

    public async Task InitializeAsync()
    {
        // 1.5 h of printing (the test request's estimate) takes 1.5 s.
        _simulator = SimulatorProgram.Build(["--port", "0", "--printers", "4", "--speedup", "3600", "--error-at", "0.3"]);
        await _simulator.StartAsync();
        _address = SimulatorProgram.Address(_simulator);
        _control = new HttpClient { BaseAddress = new Uri(_address + "/") };
        await _host.ReadyAsync();
        _cube = await Jobs.StoreModelAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _control.Dispose();
        _host.Dispose();
        await _simulator.StopAsync();
        await _simulator.DisposeAsync();
    }

    private async Task<Guid> AddPrinterAsync(string name, int number, string? apiKey = null, string? url = null, double size = 250)
    {
        var supervisor = await _host.AccountIdAsync(Browserless.Supervisor);
        var form = new PrinterForm(name, "FDM", "Prusa MK4", "0.20mm QUALITY", $"{size}", "210", "220", "0.4", "PLA", null,
            url ?? $"{_address}/printers/{number}/", apiKey ?? $"simulated-key-{number}");
        var added = await _host.InScopeAsync(sp => sp.GetRequiredService<FarmWork>().AddAsync(form, supervisor, CancellationToken.None));
        Assert.True(added.Succeeded, added.Message);
        return added.JobId!.Value;
    }

    private Task<Printer> PrinterAsync(Guid printerId) =>
        _host.WithDbAsync(db => db.Printers.AsNoTracking().SingleAsync(p => p.PrinterId == printerId));

    private Task<Printer> PrinterWhenAsync(Guid printerId, Func<Printer, bool> condition, string what) =>
        Eventually.UntilAsync(() => PrinterAsync(printerId), condition, what, TimeSpan.FromSeconds(30));

    private async Task<PrintFlow.Mes.Work.WorkOutcome> TakeNextOnAsync(Guid printerId)
    {
        var olivia = await _host.AccountIdAsync(Browserless.Operator);
        return await _host.InScopeAsync(sp => sp.GetRequiredService<FarmWork>().TakeNextOnPrinterAsync(printerId, olivia, CancellationToken.None));
    }

    private Task FaultAsync(int number, string fault) =>
        _control.PutAsJsonAsync($"control/printers/{number}/fault", new { fault });

    [Fact]
    [Trait("Category", "Tools")]
    public async Task TakeNextOnPrinter_WhenThePrintFinishesOnTheSimulator_MovesTheJobToPostProcessingByItself()
    {
        var printer = await AddPrinterAsync("Sim-1", 1);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        var request = Jobs.Request(modelSha256: _cube);
        await _host.DispatchAsync(request);

        var taken = await TakeNextOnAsync(printer);

        Assert.True(taken.Succeeded, taken.Message);
        var printing = await PrinterAsync(printer);
        Assert.Equal(PrinterState.Printing, printing.State);
        var job = await Eventually.UntilAsync(() => _host.JobAsync(request.OrderId), j => j.Stage == OrderStatus.PostProcessing,
            "the finished print moves the job on", TimeSpan.FromSeconds(30));
        Assert.Equal(printer, job.PrinterId);
        Assert.Equal("Sim-1", job.PrinterName);
        Assert.Equal([OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing],
            (await _host.PublishedAsync(request.OrderId)).Select(p => p.Stage));
        var idle = await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle && p.CurrentPrintId is null, "the printer is free again");
        Assert.True(idle.CanTakeWork);
    }

    [Fact]
    [Trait("Category", "Tools")]
    public async Task Monitor_WhenThePrinterErrsMidPrint_ReturnsTheJobToTheQueueWithTheReason()
    {
        var printer = await AddPrinterAsync("Sim-2", 2);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        await FaultAsync(2, "error-mid-print");
        var request = Jobs.Request(modelSha256: _cube);
        await _host.DispatchAsync(request);

        Assert.True((await TakeNextOnAsync(printer)).Succeeded);

        var job = await Eventually.UntilAsync(() => _host.JobAsync(request.OrderId), j => j.AwaitingPrinter && j.PrintId is null,
            "the failed print puts the job back", TimeSpan.FromSeconds(30));
        Assert.Equal(OrderStatus.Printing, job.Stage);
        Assert.Null(job.AssignedToId);
        Assert.StartsWith("Sim-2 reported an error mid-print", job.History.OrderBy(h => h.Id).Last().Reason, StringComparison.Ordinal);
        var errored = await PrinterAsync(printer);
        Assert.Equal(PrinterState.Error, errored.State);
        Assert.Equal(PrinterErrorCodes.PrinterError, errored.ErrorCode);
        Assert.False(errored.CanTakeWork);
    }

    [Fact]
    public async Task ManufacturingRequested_WhenThePartIsLargerThanEveryPrinter_IsFlaggedWithTheReasonAndOrderingIsTold()
    {
        await AddPrinterAsync("Sim-3", 3);
        var request = Jobs.Request();
        request = request with { Quote = request.Quote with { Items = [request.Quote.Items[0] with { SizeMm = new PartSize(400, 300, 100) }] } };

        await _host.DispatchAsync(request);

        var job = await _host.JobAsync(request.OrderId);
        Assert.Equal("Part bracket.stl (400 × 300 × 100 mm) does not fit the build volume of any FDM printer on the floor (with a 5 mm margin).",
            job.UnschedulableReason);
        var told = await _host.WithDbAsync(db => db.Outbox.AsNoTracking()
            .Where(m => m.CorrelationId == request.OrderId && m.Name == MessageTypes.NameOf<ManufacturingUnschedulable>()).ToListAsync());
        Assert.Equal(job.UnschedulableReason, ((ManufacturingUnschedulable)MessageSerializer.Deserialize(Assert.Single(told).ToEnvelope())).Reason);
        var floor = await (await _host.SignedInAsync(Browserless.Operator)).GetStringAsync("/mes/floor");
        Assert.Contains("does not fit the build volume of any FDM printer", floor, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-key", PrinterErrorCodes.Unauthorized)]
    [InlineData("unreachable", PrinterErrorCodes.Unreachable)]
    [InlineData("nonsense", PrinterErrorCodes.BadResponse)]
    public async Task Monitor_WhenThePrinterCannotBeReadProperly_ShowsTheReasonOnItsCardAndSendsNothing(string kind, string code)
    {
        var printer = kind switch
        {
            "wrong-key" => await AddPrinterAsync("Sim-4", 4, apiKey: "not-the-key"),
            "unreachable" => await AddPrinterAsync("Nowhere", 1, url: "http://127.0.0.1:9/"),
            _ => await AddPrinterAsync("Sim-4", 4),
        };
        if (kind == "nonsense")
        {
            await FaultAsync(4, "nonsense");
        }

        var card = await PrinterWhenAsync(printer, p => p.ErrorCode == code, $"the card shows {code}");
        await _host.DispatchAsync(Jobs.Request());

        Assert.False(card.CanTakeWork);
        Assert.NotNull(card.ErrorMessage);
        Assert.Equal("printer.not-ready", (await TakeNextOnAsync(printer)).Code);
        var floor = await (await _host.SignedInAsync(Browserless.Supervisor)).GetStringAsync("/mes/floor");
        Assert.Contains($"data-code=\"{code}\"", floor, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Tools")]
    public async Task TakeNextOnPrinter_WhenThePrinterRefusesTheUpload_PutsTheJobBackWithTheReasonOnTheCard()
    {
        var printer = await AddPrinterAsync("Sim-1", 1);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        await FaultAsync(1, "refuse-upload");
        var request = Jobs.Request(modelSha256: _cube);
        await _host.DispatchAsync(request);

        var refused = await TakeNextOnAsync(printer);

        Assert.Equal(PrinterErrorCodes.UploadRefused, refused.Code);
        Assert.Contains("went back to the queue", refused.Message, StringComparison.Ordinal);
        var job = await _host.JobAsync(request.OrderId);
        Assert.True(job.AwaitingPrinter);
        Assert.Null(job.PrintId);
        Assert.Equal(PrintFlow.Mes.Domain.QueueRanks.Waiting, job.QueueRank);
        Assert.Equal(PrinterErrorCodes.UploadRefused, (await PrinterAsync(printer)).ErrorCode);
        var seenAfter = DateTimeOffset.UtcNow.AddMilliseconds(500);
        var card = await PrinterWhenAsync(printer, p => p.LastSeenAt > seenAfter, "the monitor heard from the printer again");
        Assert.Equal(PrinterErrorCodes.UploadRefused, card.ErrorCode); // a healthy status report does not wipe the reason off the card
        Assert.Contains("refused", card.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Tools")]
    public async Task TakeNextOnPrinter_WhenSmallCompatibleJobsWait_PrintsThemOnOnePlateAndAllMoveOnTogether()
    {
        var printer = await AddPrinterAsync("Sim-1", 1);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        var small = new PartSize(20, 20, 20);
        var first = Jobs.Request(modelSha256: _cube, size: small, quantity: 1);
        var second = Jobs.Request(modelSha256: _cube, size: small, quantity: 1);
        var large = Jobs.Request(modelSha256: _cube, size: new PartSize(200, 190, 20), quantity: 1); // fits, but alone
        await _host.DispatchAsync(first);
        await _host.DispatchAsync(second);
        await _host.DispatchAsync(large);

        var taken = await TakeNextOnAsync(printer);

        Assert.True(taken.Succeeded, taken.Message);
        Assert.StartsWith("Orders ", taken.Message, StringComparison.Ordinal);
        var plate = await _host.WithDbAsync(db => db.Plates.AsNoTracking().SingleAsync());
        Assert.Equal((2, 2, "Sim-1", PlateState.Printing), (plate.JobCount, plate.PartCount, plate.PrinterName, plate.State));
        Assert.InRange(plate.PrintHours, 0.5, 2); // PrusaSlicer's estimate for two 20 mm cubes
        Assert.True((await _host.JobAsync(large.OrderId)).AwaitingPrinter);
        foreach (var request in new[] { first, second })
        {
            var job = await Eventually.UntilAsync(() => _host.JobAsync(request.OrderId), j => j.Stage == OrderStatus.PostProcessing,
                "the finished plate moves every job on it", TimeSpan.FromSeconds(60));
            Assert.Equal((plate.PlateId, "Sim-1"), (job.Items[0].PlateId, job.Items[0].PrinterName));
        }

        Assert.Equal(PlateState.Finished, (await _host.WithDbAsync(db => db.Plates.AsNoTracking().SingleAsync())).State);
        var page = await (await _host.SignedInAsync(Browserless.Operator)).GetStringAsync($"/mes/jobs/{(await _host.JobAsync(first.OrderId)).JobId}");
        Assert.Contains($"Plate {plate.PlateId.ToString("N")[^8..]} on Sim-1", page, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Tools")]
    public async Task Monitor_WhenAPlateFails_SendsEveryJobOnItBackToTheQueueWithTheReason()
    {
        var printer = await AddPrinterAsync("Sim-2", 2);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        await FaultAsync(2, "error-mid-print");
        var small = new PartSize(20, 20, 20);
        var requests = new[] { Jobs.Request(modelSha256: _cube, size: small, quantity: 1), Jobs.Request(modelSha256: _cube, size: small, quantity: 1) };
        foreach (var request in requests)
        {
            await _host.DispatchAsync(request);
        }

        Assert.True((await TakeNextOnAsync(printer)).Succeeded);

        foreach (var request in requests)
        {
            var job = await Eventually.UntilAsync(() => _host.JobAsync(request.OrderId), j => j.AwaitingPrinter && j.PrintId is null,
                "the failed plate puts every job back", TimeSpan.FromSeconds(60));
            Assert.StartsWith("Sim-2 reported an error mid-print", job.History.OrderBy(h => h.Id).Last().Reason, StringComparison.Ordinal);
            Assert.Null(job.Items[0].PlateId);
        }

        var plate = await _host.WithDbAsync(db => db.Plates.AsNoTracking().SingleAsync());
        Assert.Equal((PlateState.Failed, 2), (plate.State, plate.JobCount));
        Assert.StartsWith("Sim-2 reported an error mid-print", plate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeNextOnPrinter_WhenTheModelIsNotInTheStore_SaysSoOnTheCardSendsNothingAndKeepsTheJobQueued()
    {
        var printer = await AddPrinterAsync("Sim-1", 1);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        var request = Jobs.Request(); // its model was never stored
        await _host.DispatchAsync(request);

        var refused = await TakeNextOnAsync(printer);

        Assert.Equal(PrinterErrorCodes.NotSliced, refused.Code);
        Assert.Contains("stays in the queue", refused.Message, StringComparison.Ordinal);
        var job = await _host.JobAsync(request.OrderId);
        Assert.True(job.AwaitingPrinter);
        Assert.Null(job.PrintId);
        Assert.Null(job.AssignedToId);
        var card = await PrinterAsync(printer);
        Assert.Equal(PrinterErrorCodes.NotSliced, card.ErrorCode);
        Assert.True(card.CanTakeWork);
    }

    [Theory]
    [InlineData("ru", "остаётся в очереди")]
    [InlineData("en", "stays in the queue")]
    public async Task TakeNextOnPrinter_WhenTheModelCannotBeSliced_SaysWhyInTheReadersLanguageOnTheCardAndInTheAnswer(string language, string staysQueued)
    {
        var printer = await AddPrinterAsync("Sim-1", 1);
        await PrinterWhenAsync(printer, p => p.State == PrinterState.Idle, "the simulator answers as idle");
        await _host.DispatchAsync(Jobs.Request()); // its model was never stored

        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(language);
        PrintFlow.Mes.Work.WorkOutcome refused;
        try
        {
            refused = await TakeNextOnAsync(printer);
        }
        finally
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = culture;
        }

        // With PrusaSlicer installed the missing model is the reason; without it, the missing slicer comes first.
        var card = await PrinterAsync(printer);
        var model = new string('a', 12);
        var why = (card.ErrorReason, language) switch
        {
            ("model-gone", "ru") => $"Модели {model}… больше нет в хранилище моделей",
            ("model-gone", _) => $"The model {model}… is no longer in the model store",
            ("not-installed", "ru") => "На этом сервере не установлен PrusaSlicer",
            ("not-installed", _) => "PrusaSlicer is not installed on this server",
            _ => throw new Xunit.Sdk.XunitException($"unexpected slicer reason {card.ErrorReason}: {card.ErrorMessage}"),
        };
        Assert.Equal(PrinterErrorCodes.NotSliced, refused.Code);
        Assert.StartsWith(why, refused.Message, StringComparison.Ordinal);
        Assert.Contains(staysQueued, refused.Message, StringComparison.Ordinal);
        var floor = WebUtility.HtmlDecode(await (await _host.SignedInAsync(Browserless.Operator)).GetStringAsync($"/mes/floor?culture={language}"));
        var error = Regex.Match(floor, "data-testid=\"printer-error\" data-code=\"print_not_sliced\">(?<text>[^<]*)<");
        Assert.True(error.Success, "the card shows the slice refusal");
        Assert.StartsWith(why, error.Groups["text"].Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://169.254.169.254/", "printer.url-address-refused")]
    [InlineData("http://224.0.0.1/", "printer.url-address-refused")]
    [InlineData("ftp://192.168.1.20/", "printer.url-scheme")]
    [InlineData("http://user:pw@192.168.1.20/", "printer.url-invalid")]
    [InlineData("/relative", "printer.url-invalid")]
    [InlineData("", "printer.url-missing")]
    public async Task Add_WhenTheUrlIsNotAPrinterOnTheFactoryNetwork_IsRefusedWithACode(string url, string code)
    {
        var supervisor = await _host.AccountIdAsync(Browserless.Supervisor);
        var form = new PrinterForm("Bad", "FDM", "", "", "200", "200", "200", "", "PLA", null, url, "key-1234");

        var outcome = await _host.InScopeAsync(sp => sp.GetRequiredService<FarmWork>().AddAsync(form, supervisor, CancellationToken.None));

        Assert.Equal(code, outcome.Code);
        Assert.Equal(0, await _host.WithDbAsync(db => db.Printers.CountAsync()));
    }

    [Fact]
    public async Task Add_ThroughTheForm_StoresTheKeyProtectedAndNeverShowsItBack()
    {
        var supervisor = await _host.SignedInAsync(Browserless.Supervisor);
        var response = await supervisor.PostFormAsync("/mes/printers/new", "/mes/printers", new()
        {
            ["name"] = "Form-1", ["technology"] = "FDM", ["buildX"] = "250", ["buildY"] = "210", ["buildZ"] = "220",
            ["material"] = "PLA", ["baseUrl"] = "http://192.168.50.20/", ["apiKey"] = "SECRET-KEY-9876", ["returnUrl"] = "/mes/printers/new",
        });

        Assert.Equal("Form-1 was added; it shows as offline until it answers.", Browserless.MessageOf(response));
        var stored = await _host.WithDbAsync(db => db.Printers.AsNoTracking().SingleAsync());
        Assert.DoesNotContain("SECRET-KEY", stored.ApiKeyProtected, StringComparison.Ordinal);
        Assert.Equal("…9876", stored.ApiKeyHint);
        var floor = await supervisor.GetStringAsync("/mes/floor");
        var edit = await supervisor.GetStringAsync($"/mes/printers/{stored.PrinterId}/edit");
        Assert.DoesNotContain("SECRET-KEY", floor + edit, StringComparison.Ordinal);
        Assert.Contains("9876", floor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ByAnOperator_IsForbidden()
    {
        var operatorClient = await _host.SignedInAsync(Browserless.Operator);
        var html = await operatorClient.GetAsync("/mes/printers/new");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, html.StatusCode);
    }
}
