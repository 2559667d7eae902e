using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// One log line per request: method, path (never the query string, which may carry secrets, and never a header),
/// status and duration; the trace and span ids come from the logger's activity tracking. It also names the
/// request's span after its route and tags it the way OpenTelemetry's HTTP conventions expect.
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
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            Describe(Activity.Current, context.Request.Method, context.Request.Path, route, status);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var level = status >= 500 ? LogLevel.Error
                : context.Request.Path.StartsWithSegments(ObservabilityExtensions.MetricsPath) || context.Request.Path.StartsWithSegments("/health") ? LogLevel.Debug
                : LogLevel.Information;
            logger.Log(level, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:F1} ms",
                context.Request.Method, context.Request.Path.Value, status, elapsed);
        }
    }

    private static void Describe(Activity? activity, string method, PathString path, string? route, int status)
    {
        if (activity is null || !activity.IsAllDataRequested || activity.Source.Name != "Microsoft.AspNetCore")
        {
            return;
        }

        activity.DisplayName = route is null ? method : $"{method} {route}";
        activity.SetTag("http.request.method", method);
        activity.SetTag("url.path", path.Value);
        activity.SetTag("http.route", route);
        activity.SetTag("http.response.status_code", status);
        if (status >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
