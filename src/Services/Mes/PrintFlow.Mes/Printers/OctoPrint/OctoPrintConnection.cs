using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PrintFlow.Mes.Printers.OctoPrint;

/// <summary>
/// The subset of OctoPrint's REST API MES needs (docs/mes.md, "Printers over OctoPrint"): upload-and-print, job and
/// printer state, cancel. Every reply is hostile: bounded in time and size, redirects refused, odd JSON a
/// <see cref="PrinterErrorCodes.BadResponse"/>; a printer fault is a result, never an exception.
/// </summary>
public sealed class OctoPrintConnection(HttpClient http, IOptions<OctoPrintOptions> options) : IPrinterConnection
{
    private const string ApiKeyHeader = "X-Api-Key";
    private const int MaxTextLength = 200;
    private readonly OctoPrintOptions _options = options.Value;

    public async Task<PrinterStatus> GetStatusAsync(PrinterEndpoint printer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(printer);
        var reply = await SendAsync(printer, HttpMethod.Get, "api/printer", null, _options.RequestTimeout, cancellationToken);
        if (reply.Fault is { } fault) return Offline(fault);
        if (reply.Status == HttpStatusCode.Conflict)
            return new PrinterStatus(PrinterLinkState.Offline, null, null, null, PrinterErrorCodes.PrinterError,
                "OctoPrint answers, but it is not connected to the printer.");
        if (reply.Status != HttpStatusCode.OK) return Offline(Unexpected(reply.Status));
        if (!TryReadPrinterState(reply.Body, out var state, out var text))
            return Offline(BadResponse("The printer's state could not be read."));

        var job = await SendAsync(printer, HttpMethod.Get, "api/job", null, _options.RequestTimeout, cancellationToken);
        if (job.Fault is { } jobFault) return Offline(jobFault);
        if (job.Status != HttpStatusCode.OK) return Offline(Unexpected(job.Status));
        if (!TryReadJob(job.Body, out var progress, out var timeLeft, out var fileName))
            return Offline(BadResponse("The printer's job could not be read."));

        return state == PrinterLinkState.Error
            ? new PrinterStatus(state, progress, timeLeft, fileName, PrinterErrorCodes.PrinterError,
                $"The printer reports an error: {text}")
            : new PrinterStatus(state, progress, timeLeft, fileName, null, null);
    }

    public async Task<PrinterReply> UploadAndStartAsync(PrinterEndpoint printer, string fileName, Stream gcode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(printer);
        ArgumentNullException.ThrowIfNull(gcode);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(gcode);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", FileNameOnPrinter(fileName));
        form.Add(new StringContent("true"), "select");
        form.Add(new StringContent("true"), "print");

        var reply = await SendAsync(printer, HttpMethod.Post, "api/files/local", form, _options.UploadTimeout, cancellationToken);
        if (reply.Fault is { } fault) return fault;
        return reply.Status switch
        {
            HttpStatusCode.Created or HttpStatusCode.OK => ReadUploadReply(reply.Body),
            HttpStatusCode.Conflict => Busy("The printer is busy and did not take the file."),
            >= HttpStatusCode.BadRequest => new PrinterReply(false, PrinterErrorCodes.UploadRefused,
                $"The printer refused the G-code upload (HTTP {(int)reply.Status})."),
            _ => Unexpected(reply.Status),
        };
    }

    public async Task<PrinterReply> CancelAsync(PrinterEndpoint printer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(printer);
        using var body = new StringContent("""{"command":"cancel"}""", Encoding.UTF8, "application/json");
        var reply = await SendAsync(printer, HttpMethod.Post, "api/job", body, _options.RequestTimeout, cancellationToken);
        if (reply.Fault is { } fault) return fault;
        return reply.Status switch
        {
            HttpStatusCode.NoContent => PrinterReply.Success,
            // OctoPrint answers 409 when no job is printing or paused: nothing is running, which is what cancel wants.
            HttpStatusCode.Conflict => PrinterReply.Success,
            _ => Unexpected(reply.Status),
        };
    }

    /// <summary>The name the file gets on the printer (and reports back in its job): safe characters only, a G-code extension.</summary>
    public static string FileNameOnPrinter(string fileName)
    {
        var builder = new StringBuilder();
        foreach (var c in Path.GetFileName(fileName ?? "").Trim())
        {
            if (builder.Length == 100) break;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }
        var name = builder.ToString().TrimStart('.');
        if (name.Length == 0) name = "print";
        return name.EndsWith(".gcode", StringComparison.OrdinalIgnoreCase) ? name : name + ".gcode";
    }

    private async Task<Reply> SendAsync(PrinterEndpoint printer, HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!printer.BaseUrl.IsAbsoluteUri || printer.BaseUrl.Scheme is not ("http" or "https"))
            return new Reply(new PrinterReply(false, PrinterErrorCodes.Unreachable, "The printer's address is not an http(s) URL."));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(WithTrailingSlash(printer.BaseUrl), path)) { Content = content };
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, printer.ApiKey);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = response.StatusCode;
            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) return new Reply(Unauthorized());
            if ((int)status is >= 300 and < 400)
                return new Reply(BadResponse($"The printer answered with a redirect (HTTP {(int)status}), which is not followed."));
            if (!response.IsSuccessStatusCode) return new Reply(status, default);
            var body = await ReadBoundedAsync(response.Content, _options.MaxResponseBytes, deadline.Token);
            return body is null
                ? new Reply(BadResponse($"The printer's reply is larger than {_options.MaxResponseBytes} bytes."))
                : new Reply(status, body.Value);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Reply(new PrinterReply(false, PrinterErrorCodes.Timeout,
                $"The printer did not answer within {timeout.TotalSeconds:0.###} s."));
        }
        catch (HttpRequestException e)
        {
            return new Reply(Unreachable(e));
        }
        catch (IOException e)
        {
            return new Reply(new PrinterReply(false, PrinterErrorCodes.Unreachable, $"The connection to the printer broke: {Clean(e.Message)}"));
        }
    }

    private static PrinterReply Unreachable(HttpRequestException e) => new(false, PrinterErrorCodes.Unreachable, e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "The printer's host name could not be resolved.",
        HttpRequestError.ConnectionError => "The printer refused or did not accept the connection.",
        HttpRequestError.ResponseEnded => "The printer closed the connection before answering.",
        HttpRequestError.InvalidResponse => "The printer's reply is not valid HTTP.",
        HttpRequestError.ConfigurationLimitExceeded => "The printer's reply headers are too large.",
        _ => $"The printer could not be reached: {Clean(e.Message)}",
    });

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is longer.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > limit) return null;
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(limit + 1, (int?)content.Headers.ContentLength + 1 ?? 8192)];
        var read = 0;
        while (true)
        {
            if (read == buffer.Length)
            {
                if (buffer.Length > limit) return null;
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, limit + 1));
            }
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) return buffer.AsMemory(0, read);
            read += n;
            if (read > limit) return null;
        }
    }

    private static bool TryReadPrinterState(ReadOnlyMemory<byte> body, out PrinterLinkState state, out string text)
    {
        state = PrinterLinkState.Offline;
        text = "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("state", out var s) || s.ValueKind != JsonValueKind.Object
                || !s.TryGetProperty("flags", out var flags) || flags.ValueKind != JsonValueKind.Object)
                return false;
            text = s.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? Clean(t.GetString()) : "";
            if (!Flag(flags, "operational", out var operational) || !Flag(flags, "printing", out var printing)
                || !Flag(flags, "paused", out var paused) || !Flag(flags, "error", out var error)
                || !Flag(flags, "closedOrError", out var closedOrError))
                return false;
            Flag(flags, "pausing", out var pausing);
            Flag(flags, "cancelling", out var cancelling);
            state = error ? PrinterLinkState.Error
                : closedOrError || !operational ? PrinterLinkState.Offline
                : paused || pausing ? PrinterLinkState.Paused
                : printing || cancelling ? PrinterLinkState.Printing
                : PrinterLinkState.Idle;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Flag(JsonElement flags, string name, out bool value)
    {
        value = false;
        if (!flags.TryGetProperty(name, out var f)) return false;
        if (f.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return false;
        value = f.GetBoolean();
        return true;
    }

    private static bool TryReadJob(ReadOnlyMemory<byte> body, out double? progress, out TimeSpan? timeLeft, out string? fileName)
    {
        progress = null;
        timeLeft = null;
        fileName = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (root.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                if (p.TryGetProperty("completion", out var c) && c.ValueKind != JsonValueKind.Null)
                {
                    // OctoPrint reports percent (0..100).
                    if (c.ValueKind != JsonValueKind.Number || !c.TryGetDouble(out var percent)
                        || !double.IsFinite(percent) || percent < 0 || percent > 100.001)
                        return false;
                    progress = Math.Clamp(percent / 100, 0, 1);
                }
                if (p.TryGetProperty("printTimeLeft", out var left) && left.ValueKind != JsonValueKind.Null)
                {
                    if (left.ValueKind != JsonValueKind.Number || !left.TryGetDouble(out var seconds)
                        || !double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(365).TotalSeconds)
                        return false;
                    timeLeft = TimeSpan.FromSeconds(Math.Round(seconds));
                }
            }
            else if (root.TryGetProperty("progress", out var badProgress) && badProgress.ValueKind != JsonValueKind.Null)
            {
                return false;
            }
            if (root.TryGetProperty("job", out var job) && job.ValueKind == JsonValueKind.Object
                && job.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object
                && file.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                fileName = Clean(name.GetString()) is { Length: > 0 } n ? n : null;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static PrinterReply ReadUploadReply(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object) return BadResponse("The printer's answer to the upload could not be read.");
            // OctoPrint stores the file but does not print it when the printer is not operational or already printing.
            if (json.RootElement.TryGetProperty("effectivePrint", out var print) && print.ValueKind == JsonValueKind.False)
                return Busy("The printer stored the file but did not start it: it is printing or not operational.");
            return PrinterReply.Success;
        }
        catch (JsonException)
        {
            return BadResponse("The printer's answer to the upload could not be read.");
        }
    }

    private static Uri WithTrailingSlash(Uri baseUrl) =>
        baseUrl.AbsolutePath.EndsWith('/') ? baseUrl : new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath + "/" }.Uri;

    /// <summary>Printer-supplied text shown to people: one line, no control characters, bounded.</summary>
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var builder = new StringBuilder(Math.Min(text.Length, MaxTextLength));
        foreach (var c in text)
        {
            if (builder.Length == MaxTextLength) break;
            builder.Append(char.IsControl(c) ? ' ' : c);
        }
        return builder.ToString().Trim();
    }

    private static PrinterStatus Offline(PrinterReply fault) =>
        new(PrinterLinkState.Offline, null, null, null, fault.ErrorCode, fault.Error);

    private static PrinterReply Unauthorized() =>
        new(false, PrinterErrorCodes.Unauthorized, "The printer refused the API key.");

    private static PrinterReply Busy(string error) => new(false, PrinterErrorCodes.Busy, error);

    private static PrinterReply BadResponse(string error) => new(false, PrinterErrorCodes.BadResponse, error);

    private static PrinterReply Unexpected(HttpStatusCode status) =>
        BadResponse($"The printer answered with an unexpected HTTP {(int)status}.");

    private readonly record struct Reply(HttpStatusCode Status, ReadOnlyMemory<byte> Body, PrinterReply? Fault = null)
    {
        public Reply(PrinterReply fault) : this(default, default, fault) { }
    }
}
