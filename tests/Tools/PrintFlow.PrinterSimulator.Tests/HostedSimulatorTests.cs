using System.Net.Http.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Mes.Printers;
using PrintFlow.PrinterSimulator.Tests.Support;

namespace PrintFlow.PrinterSimulator.Tests;

/// <summary>The simulator mapped into another application under a path prefix, as the embedded host does in Development.</summary>
public sealed class HostedSimulatorTests
{
    [Fact]
    public async Task MapPrinterSimulator_UnderAPrefixInAHostThatRequiresSignIn_PrintsThroughTheClient()
    {
        var time = new FakeTimeProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddPrinterSimulator(o =>
        {
            o.Printers = 2;
            o.SpeedUp = 30;
        });
        await using var app = builder.Build();
        app.UseAuthorization();
        app.MapPrinterSimulator("/simulator");
        await app.StartAsync();
        var address = SimulatorProgram.Address(app);
        using var client = SimulatedFarm.Client();
        var connection = client.GetRequiredService<IPrinterConnection>();
        using var http = new HttpClient();

        var listed = await http.GetFromJsonAsync<List<ListedPrinter>>($"{address}/simulator/control/printers");
        var printer = new PrinterEndpoint(new Uri(listed![1].Url), listed[1].ApiKey);
        await using (var gcode = File.OpenRead(SimulatedFarm.GcodePath))
            Assert.Equal(PrinterReply.Success, await connection.UploadAndStartAsync(printer, "cube.gcode", gcode, CancellationToken.None));
        time.Advance(SimulatedFarm.FixtureEstimate / 30 / 2);
        var status = await connection.GetStatusAsync(printer, CancellationToken.None);

        Assert.Equal($"{address}/simulator/printers/2/", listed[1].Url);
        Assert.Equal((PrinterLinkState.Printing, "cube.gcode"), (status.State, status.FileName));
        Assert.Equal(0.5, status.Progress!.Value, 3);
    }

    private sealed record ListedPrinter(int Number, string Url, string ApiKey);
}
