using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// One log line per request: method, path (never the query string, which may carry secrets, and never a header),
/// status and duration; the trace and span ids come from the logger's activity tracking (the span itself is named
/// and tagged by OpenTelemetry's ASP.NET Core instrumentation).
/// </summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var level = status >= 500 ? LogLevel.Error
                : ObservabilityExtensions.IsInfrastructurePath(context.Request.Path) ? LogLevel.Debug
                : LogLevel.Information;
            logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:F1} ms",
                context.Request.Method, context.Request.Path.Value, status, elapsed);
        }
    }
}
