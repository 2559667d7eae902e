using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PrintFlow.ServiceDefaults.Uploads;

/// <summary>Bounds on what a request may carry, at the server, in form parsing and in what an upload endpoint echoes back.</summary>
public static class RequestLimits
{
    /// <summary>Room for an upload form's text fields and part headers beside its model files.</summary>
    public const long FormMarginBytes = 1024 * 1024;

    /// <summary>At most this many problems are listed in an answer; the rest are counted.</summary>
    public const int MaxErrorsListed = 20;

    /// <summary>Parts an upload form may have beyond its model files: the fields it knows, with room to spare.</summary>
    public const int MaxFieldParts = 16;

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<PrintFlowOptions>>((kestrel, printFlow) =>
        {
            kestrel.Limits.MaxRequestBodySize = printFlow.Value.MaxRequestBodyBytes;
        });
        builder.Services.Configure<FormOptions>(form =>
        {
            // Every form the pages post is a handful of short fields; uploads read multipart themselves.
            form.ValueCountLimit = 256;
            form.ValueLengthLimit = 64 * 1024;
            form.KeyLengthLimit = 256;
            form.MultipartHeadersCountLimit = 16;
            form.MultipartHeadersLengthLimit = 16 * 1024;
            form.MultipartBodyLengthLimit = 1024 * 1024;
            form.BufferBodyLengthLimit = 1024 * 1024;
        });
        return builder;
    }

    /// <summary>Raises this request's body limit to what the endpoint may accept (never unlimited).</summary>
    public static void AllowBody(HttpContext http, long maxBytes)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }
    }
}
