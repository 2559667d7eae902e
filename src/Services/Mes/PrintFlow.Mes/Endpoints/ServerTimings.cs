using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.Mes.Endpoints;

/// <summary>Durations measured while serving one request, written as a <c>Server-Timing</c> header.</summary>
public sealed class ServerTimings
{
    private readonly List<(string Name, double Milliseconds)> _entries = [];

    public void Record(string name, long startedTimestamp) =>
        _entries.Add((name, Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds));

    public string Header(double totalMilliseconds) => string.Join(", ", _entries
        .Select(e => $"{e.Name};dur={e.Milliseconds.ToString("0.###", CultureInfo.InvariantCulture)}")
        .Append($"total;dur={totalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}"));
}

/// <summary>
/// Adds <c>Server-Timing: db;dur=…, total;dur=…</c> to the queue page and its live fragment: the time the server spent
/// on the query and on rendering, which a browser's devtools and the MES benchmark read. The body (a few kilobytes)
/// is buffered so the header can carry the time the render took; the event stream is never buffered.
/// </summary>
public static class ServerTimingMiddleware
{
    private static readonly PathString[] Timed = ["/mes", "/mes/queue/fragment"];

    public static IApplicationBuilder UseMesServerTiming(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) || !Timed.Contains(context.Request.Path))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var timings = context.RequestServices.GetRequiredService<ServerTimings>();
        if (!context.Response.HasStarted)
        {
            context.Response.Headers["Server-Timing"] = timings.Header(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            context.Response.ContentLength = buffer.Length;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    });
}
