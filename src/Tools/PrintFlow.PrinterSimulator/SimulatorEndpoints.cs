using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace PrintFlow.PrinterSimulator;

/// <summary>
/// OctoPrint's REST subset under <c>{prefix}/printers/{n}/api/…</c> (a printer's base URL is <c>{prefix}/printers/{n}/</c>)
/// and the test control under <c>{prefix}/control/…</c>.
/// </summary>
public static class SimulatorEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the farm (options from <c>PrinterSimulator</c>, then <paramref name="configure"/>).</summary>
    public static IServiceCollection AddPrinterSimulator(this IServiceCollection services, Action<SimulatorOptions>? configure = null)
    {
        var options = services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section);
        if (configure is not null) options.Configure(configure);
        options.ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new PrinterFarm(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SimulatorOptions>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }

    /// <summary>Maps the virtual printers and their control endpoint under <paramref name="prefix"/> ("" or "/simulator").</summary>
    public static IEndpointRouteBuilder MapPrinterSimulator(this IEndpointRouteBuilder app, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(app);
        var root = app.MapGroup(prefix).ExcludeFromDescription();
        var printer = root.MapGroup("/printers/{n:int}/api").AddEndpointFilter(PrinterFilter);
        printer.MapGet("/version", () => Results.Json(new { api = "0.1", server = "1.10.0", text = "OctoPrint 1.10.0 (PrintFlow simulator)" }, Json));
        printer.MapGet("/printer", GetPrinter);
        printer.MapGet("/job", GetJob);
        printer.MapPost("/job", PostJob);
        printer.MapPost("/files/local", Upload);

        var control = root.MapGroup("/control/printers");
        control.MapGet("/", (HttpContext context, PrinterFarm farm) => Results.Json(farm.Printers.Select(p =>
        {
            var s = p.Snapshot();
            return new
            {
                number = p.Number,
                url = PrinterUrl(context, prefix, p.Number),
                apiKey = p.ApiKey,
                state = s.State.ToString(),
                fault = PrinterFaults.Name(s.Fault),
                file = s.Job?.FileName,
                progress = s.Progress,
            };
        }), Json));
        control.MapPut("/{n:int}/fault", async (int n, HttpContext context, PrinterFarm farm) =>
        {
            if (farm.Find(n) is not { } p) return Results.NotFound();
            FaultRequest? request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<FaultRequest>(context.Request.Body, Json, context.RequestAborted);
            }
            catch (JsonException)
            {
                request = null;
            }
            if (request is null || !PrinterFaults.TryParse(request.Fault, out var fault))
                return Results.BadRequest(new { error = "Send {\"fault\":\"error-mid-print\"|\"disconnect\"|\"never-answers\"|\"nonsense\"|\"huge-reply\"|\"refuse-upload\"|\"offline\"|\"none\"}." });
            p.SetFault(fault, request.ErrorAtProgress);
            return Results.NoContent();
        });
        control.MapPost("/{n:int}/reset", (int n, PrinterFarm farm) =>
        {
            if (farm.Find(n) is not { } p) return Results.NotFound();
            p.Reset();
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>The base URL MES configures for printer <paramref name="number"/>, as seen by this request.</summary>
    public static string PrinterUrl(HttpContext context, string prefix, int number)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        return $"{request.Scheme}://{request.Host}{request.PathBase}{prefix.TrimEnd('/')}/printers/{number}/";
    }

    private sealed record FaultRequest(string? Fault, double? ErrorAtProgress);

    // Network-level faults come first (a dead printer does not check keys), then OctoPrint's key check.
    private static async ValueTask<object?> PrinterFilter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var farm = context.RequestServices.GetRequiredService<PrinterFarm>();
        if (!int.TryParse(context.Request.RouteValues["n"]?.ToString(), out var n) || farm.Find(n) is not { } printer)
            return Results.NotFound();
        switch (printer.Fault)
        {
            case PrinterFault.Disconnect:
                context.Abort();
                return Results.Empty;
            case PrinterFault.NeverAnswers:
                var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using (var hang = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, hang.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up or the simulator stops; either way nobody reads an answer.
                    }
                }
                context.Abort();
                return Results.Empty;
            case PrinterFault.Nonsense:
                return Results.Text("<html><body>Gateway says hello {\"state\": [", "text/html", Encoding.UTF8);
            case PrinterFault.HugeReply:
                return Results.Text("{\"padding\":\"" + new string('x', 4 * 1024 * 1024) + "\"}", "application/json", Encoding.UTF8);
        }
        var key = context.Request.Headers["X-Api-Key"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(printer.ApiKey)))
            return Results.Text("Forbidden", "text/plain", statusCode: StatusCodes.Status403Forbidden);
        return await next(invocation);
    }

    private static IResult GetPrinter(int n, PrinterFarm farm)
    {
        var s = farm.Find(n)!.Snapshot();
        if (s.State == VirtualPrinterState.Offline)
            return Results.Text("Printer is not operational", "text/plain", statusCode: StatusCodes.Status409Conflict);
        var printing = s.State == VirtualPrinterState.Printing;
        var error = s.State == VirtualPrinterState.Error;
        var hot = printing ? 215.0 : 24.0;
        return Results.Json(new
        {
            state = new
            {
                text = s.StateText,
                flags = new
                {
                    operational = !error,
                    printing,
                    paused = false,
                    pausing = false,
                    cancelling = false,
                    finishing = false,
                    sdReady = false,
                    error,
                    ready = !error && !printing,
                    closedOrError = error,
                },
            },
            temperature = new
            {
                tool0 = new { actual = hot, target = printing ? 215.0 : 0, offset = 0 },
                bed = new { actual = printing ? 60.0 : 24.0, target = printing ? 60.0 : 0, offset = 0 },
            },
        }, Json);
    }

    private static IResult GetJob(int n, PrinterFarm farm)
    {
        var s = farm.Find(n)!.Snapshot();
        var job = s.Job;
        return Results.Json(new
        {
            job = new
            {
                file = new
                {
                    name = job?.FileName,
                    path = job?.FileName,
                    origin = job is null ? null : "local",
                    size = job?.Size,
                    date = job?.StartedAt.ToUnixTimeSeconds(),
                },
                estimatedPrintTime = job is null ? (double?)null : Math.Round(job.Duration.TotalSeconds, 1),
            },
            progress = new
            {
                completion = s.Progress is { } p ? p * 100 : (double?)null,
                filepos = s.Progress is { } f ? (long)(f * job!.Size) : (long?)null,
                printTime = s.Elapsed is { } e ? (long)e.TotalSeconds : (long?)null,
                printTimeLeft = s.TimeLeft is { } l ? (long)Math.Ceiling(l.TotalSeconds) : (long?)null,
                printTimeLeftOrigin = job is null ? null : "estimate",
            },
            state = s.State switch
            {
                VirtualPrinterState.Printing => "Printing",
                VirtualPrinterState.Error => "Error",
                VirtualPrinterState.Offline => "Offline",
                _ => "Operational",
            },
        }, Json);
    }

    private static async Task<IResult> PostJob(int n, HttpContext context, PrinterFarm farm)
    {
        JobCommand? command;
        try
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = 4096;
            command = await JsonSerializer.DeserializeAsync<JobCommand>(context.Request.Body, Json, context.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or BadHttpRequestException)
        {
            command = null;
        }
        if (command?.Command != "cancel")
            return Results.Text("Only the cancel command is simulated", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        return farm.Find(n)!.TryCancel()
            ? Results.NoContent()
            : Results.Text("No active print job", "text/plain", statusCode: StatusCodes.Status409Conflict);
    }

    private sealed record JobCommand(string? Command);

    private static async Task<IResult> Upload(int n, HttpContext context, PrinterFarm farm)
    {
        var printer = farm.Find(n)!;
        if (printer.Fault == PrinterFault.RefuseUpload)
            return Results.Json(new { error = "Could not upload the file (simulated refusal)" }, Json, statusCode: StatusCodes.Status500InternalServerError);
        var limit = farm.Options.MaxUploadBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + 64 * 1024; // the multipart framing around the file
        if (context.Request.ContentLength > limit + 64 * 1024) return TooLarge(limit);
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 70 } boundary)
            return Results.Json(new { error = "Expected a multipart/form-data upload" }, Json, statusCode: StatusCodes.Status400BadRequest);

        string? fileName = null;
        var print = false;
        var scan = new GcodeTimeEstimate();
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 8 * 1024 };
            var buffer = new byte[64 * 1024];
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (disposition.IsFileDisposition() && name == "file" && fileName is null)
                {
                    fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? "");
                    int read;
                    while ((read = await section.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
                    {
                        scan.Append(buffer.AsSpan(0, read));
                        if (scan.Bytes > limit) return TooLarge(limit);
                    }
                    scan.Complete();
                }
                else if (name is "print" or "select")
                {
                    var count = await section.Body.ReadAtLeastAsync(buffer.AsMemory(0, 16), 16, throwOnEndOfStream: false, context.RequestAborted);
                    var value = Encoding.UTF8.GetString(buffer, 0, count).Trim();
                    if (name == "print") print = value.Equals("true", StringComparison.OrdinalIgnoreCase);
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            return Results.Json(new { error = "The upload could not be read" }, Json, statusCode: StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrWhiteSpace(fileName) || fileName.Length > 255)
            return Results.Json(new { error = "No file included" }, Json, statusCode: StatusCodes.Status400BadRequest);
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".gcode" or ".gco" or ".g"))
            return Results.Json(new { error = "Could not upload the file: only G-code is accepted" }, Json, statusCode: StatusCodes.Status415UnsupportedMediaType);

        var started = print && printer.TryStart(fileName, scan.Bytes, scan.Estimate);
        var url = PrinterUrl(context, "", n);
        var location = $"{url}api/files/local/{Uri.EscapeDataString(fileName)}";
        return Results.Json(new
        {
            done = true,
            effectiveSelect = started,
            effectivePrint = started,
            files = new
            {
                local = new
                {
                    name = fileName,
                    path = fileName,
                    origin = "local",
                    refs = new { resource = location },
                },
            },
        }, Json, statusCode: StatusCodes.Status201Created);
    }

    private static IResult TooLarge(long limit) =>
        Results.Json(new { error = $"The file is larger than {limit} bytes" }, Json, statusCode: StatusCodes.Status413PayloadTooLarge);
}
