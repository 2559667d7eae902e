using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PrintFlow.Mes.Printers;
using PrintFlow.PrinterSimulator.Tests.Support;

namespace PrintFlow.PrinterSimulator.Tests;

/// <summary>Every way a printer misbehaves ends as the right error code, in bounded time, without an exception.</summary>
public sealed class OctoPrintFaultTests
{
    // Three calls to a hanging printer take three timeouts; the rest must be far quicker.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetStatus_WhenApiKeyIsWrong_IsUnauthorized()
    {
        await using var farm = await SimulatedFarm.StartAsync();
        var printer = farm.Printer(1, apiKey: "simulated-key-2");

        var status = await farm.StatusAsync(printer);
        var upload = await farm.UploadFixtureAsync(printer);

        Assert.Equal((PrinterLinkState.Offline, PrinterErrorCodes.Unauthorized), (status.State, status.ErrorCode));
        Assert.Equal(PrinterErrorCodes.Unauthorized, upload.ErrorCode);
        Assert.Equal(PrinterLinkState.Idle, (await farm.StatusAsync(farm.Printer(1))).State);
    }

    [Theory]
    [InlineData("disconnect", PrinterErrorCodes.Unreachable)]
    [InlineData("never-answers", PrinterErrorCodes.Timeout)]
    [InlineData("nonsense", PrinterErrorCodes.BadResponse)]
    [InlineData("huge-reply", PrinterErrorCodes.BadResponse)]
    public async Task EveryCall_WhenThePrinterMisbehaves_EndsWithItsCodeInBoundedTime(string fault, string code)
    {
        await using var farm = await SimulatedFarm.StartAsync(faults: $"1={fault}");
        var printer = farm.Printer(1);
        var clock = Stopwatch.StartNew();

        var status = await farm.StatusAsync(printer);
        var upload = await farm.UploadFixtureAsync(printer);
        var cancel = await farm.Connection.CancelAsync(printer, CancellationToken.None);

        Assert.Equal((PrinterLinkState.Offline, code), (status.State, status.ErrorCode));
        Assert.False(string.IsNullOrWhiteSpace(status.Error));
        Assert.Equal(fault == "nonsense" || fault == "huge-reply" ? PrinterErrorCodes.BadResponse : code, upload.ErrorCode);
        Assert.Equal(code, cancel.ErrorCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Bound);
    }

    [Fact]
    public async Task UploadAndStart_WhenThePrinterRefusesTheUpload_IsUploadRefused()
    {
        await using var farm = await SimulatedFarm.StartAsync(faults: "2=refuse-upload");

        var upload = await farm.UploadFixtureAsync(farm.Printer(2));

        Assert.Equal(PrinterErrorCodes.UploadRefused, upload.ErrorCode);
        Assert.Equal(PrinterLinkState.Idle, (await farm.StatusAsync(farm.Printer(2))).State);
    }

    [Fact]
    public async Task UploadAndStart_WhenTheFileIsOverThePrintersLimit_IsUploadRefused()
    {
        await using var farm = await SimulatedFarm.StartAsync(maxUploadBytes: 4096);

        var upload = await farm.UploadFixtureAsync(farm.Printer(1));

        Assert.Equal(PrinterErrorCodes.UploadRefused, upload.ErrorCode);
        Assert.Contains("413", upload.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_WhenThePrinterFailsMidPrint_ReportsErrorWithTheJob()
    {
        await using var farm = await SimulatedFarm.StartAsync(faults: "1=error-mid-print");
        var printer = farm.Printer(1);
        await farm.UploadFixtureAsync(printer);

        farm.Time.Advance(SimulatedFarm.FixtureEstimate / 60 * 0.4);
        var before = await farm.StatusAsync(printer);
        farm.Time.Advance(SimulatedFarm.FixtureEstimate / 60 * 0.2);
        var failed = await farm.StatusAsync(printer);
        var retry = await farm.UploadFixtureAsync(printer, "retry.gcode");

        Assert.Equal(PrinterLinkState.Printing, before.State);
        Assert.Equal((PrinterLinkState.Error, PrinterErrorCodes.PrinterError, "cube.gcode"), (failed.State, failed.ErrorCode, failed.FileName));
        Assert.Equal(0.5, failed.Progress!.Value, 3);
        Assert.Contains("Thermal Runaway", failed.Error, StringComparison.Ordinal);
        Assert.Equal(PrinterErrorCodes.Busy, retry.ErrorCode);
    }

    [Fact]
    public async Task GetStatus_WhenOctoPrintIsNotConnectedToThePrinter_IsOffline()
    {
        await using var farm = await SimulatedFarm.StartAsync(faults: "1=offline");

        var status = await farm.StatusAsync(farm.Printer(1));

        Assert.Equal((PrinterLinkState.Offline, PrinterErrorCodes.PrinterError), (status.State, status.ErrorCode));
    }

    [Fact]
    public async Task ControlEndpoint_WhenAFaultIsSetAndReset_ThePrinterFollows()
    {
        await using var farm = await SimulatedFarm.StartAsync();
        var printer = farm.Printer(1);

        using var set = await farm.Http.PutAsJsonAsync("control/printers/1/fault", new { fault = "nonsense" });
        var confused = await farm.StatusAsync(printer);
        using var reset = await farm.Http.PostAsync(new Uri("control/printers/1/reset", UriKind.Relative), null);
        var healthy = await farm.StatusAsync(printer);
        using var unknown = await farm.Http.PutAsJsonAsync("control/printers/1/fault", new { fault = "explode" });

        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal(PrinterErrorCodes.BadResponse, confused.ErrorCode);
        Assert.Equal(PrinterLinkState.Idle, healthy.State);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Fact]
    public async Task GetStatus_WhenNothingListensOnThePort_IsUnreachable()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = SimulatedFarm.Client();
        var connection = (IPrinterConnection)client.GetService(typeof(IPrinterConnection))!;

        var status = await connection.GetStatusAsync(new PrinterEndpoint(new Uri($"http://127.0.0.1:{port}/"), "k"), CancellationToken.None);

        Assert.Equal((PrinterLinkState.Offline, PrinterErrorCodes.Unreachable), (status.State, status.ErrorCode));
    }

    [Fact]
    public async Task GetStatus_WhenTheHostNameDoesNotResolve_IsUnreachableOrTimeout()
    {
        using var client = SimulatedFarm.Client();
        var connection = (IPrinterConnection)client.GetService(typeof(IPrinterConnection))!;
        var clock = Stopwatch.StartNew();

        var status = await connection.GetStatusAsync(new PrinterEndpoint(new Uri("http://printer-7.invalid/"), "k"), CancellationToken.None);

        // Without a resolver the lookup itself may be what runs out of time; either way the card says why, quickly.
        Assert.Contains(status.ErrorCode, new[] { PrinterErrorCodes.Unreachable, PrinterErrorCodes.Timeout });
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Bound);
    }

    [Fact]
    public async Task EveryCall_WhenThePrinterRedirects_IsBadResponseAndTheKeyStaysHome()
    {
        var followed = 0;
        await using var app = await HostileAsync(web =>
        {
            web.MapGet("/api/printer", () => Results.Redirect("/elsewhere"));
            web.MapGet("/elsewhere", () =>
            {
                Interlocked.Increment(ref followed);
                return Results.Ok();
            });
        });
        using var client = SimulatedFarm.Client();
        var connection = (IPrinterConnection)client.GetService(typeof(IPrinterConnection))!;

        var status = await connection.GetStatusAsync(new PrinterEndpoint(new Uri(SimulatorProgram.Address(app) + "/"), "secret"), CancellationToken.None);

        Assert.Equal(PrinterErrorCodes.BadResponse, status.ErrorCode);
        Assert.Equal(0, followed);
    }

    [Theory]
    [InlineData("""{"state":{"text":"x","flags":{"operational":"yes"}}}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"state":{"text":"x"}}""")]
    [InlineData("""{"state":{"text":"x","flags":{"operational":true,"printing":true,"paused":false,"error":false,"closedOrError":false}}}|{"progress":{"completion":250}}""")]
    [InlineData("""{"state":{"text":"x","flags":{"operational":true,"printing":true,"paused":false,"error":false,"closedOrError":false}}}|{"progress":{"completion":5,"printTimeLeft":-3}}""")]
    [InlineData("""{"state":{"text":"x","flags":{"operational":true,"printing":true,"paused":false,"error":false,"closedOrError":false}}}|{"progress":"half"}""")]
    public async Task GetStatus_WhenTheJsonIsWellFormedButWrong_IsBadResponse(string replies)
    {
        var parts = replies.Split('|');
        await using var app = await HostileAsync(web =>
        {
            web.MapGet("/api/printer", () => Results.Text(parts[0], "application/json"));
            web.MapGet("/api/job", () => Results.Text(parts.Length > 1 ? parts[1] : "{}", "application/json"));
        });
        using var client = SimulatedFarm.Client();
        var connection = (IPrinterConnection)client.GetService(typeof(IPrinterConnection))!;

        var status = await connection.GetStatusAsync(new PrinterEndpoint(new Uri(SimulatorProgram.Address(app) + "/"), "k"), CancellationToken.None);

        Assert.Equal((PrinterLinkState.Offline, PrinterErrorCodes.BadResponse), (status.State, status.ErrorCode));
    }

    [Theory]
    [InlineData(409, PrinterErrorCodes.Busy)]
    [InlineData(401, PrinterErrorCodes.Unauthorized)]
    [InlineData(415, PrinterErrorCodes.UploadRefused)]
    [InlineData(507, PrinterErrorCodes.UploadRefused)]
    public async Task UploadAndStart_WhenThePrinterAnswersAnError_MapsItsStatus(int statusCode, string code)
    {
        await using var app = await HostileAsync(web => web.MapPost("/api/files/local", () => Results.StatusCode(statusCode)));
        using var client = SimulatedFarm.Client();
        var connection = (IPrinterConnection)client.GetService(typeof(IPrinterConnection))!;
        using var gcode = new MemoryStream("G28\n"u8.ToArray());

        var reply = await connection.UploadAndStartAsync(new PrinterEndpoint(new Uri(SimulatorProgram.Address(app) + "/"), "k"), "a.gcode", gcode, CancellationToken.None);

        Assert.Equal(code, reply.ErrorCode);
    }

    [Fact]
    public async Task GetStatus_WhenTheCallerCancels_Throws()
    {
        await using var farm = await SimulatedFarm.StartAsync(faults: "1=never-answers");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => farm.Connection.GetStatusAsync(farm.Printer(1), cancel.Token));
    }

    /// <summary>A printer that says exactly what a test wants, on a free local port.</summary>
    private static async Task<WebApplication> HostileAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }
}
