using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// Traces, metrics and request logs through the OpenTelemetry SDK, set up once for every PrintFlow process. Trace
/// context always flows (through HTTP, the outbox row and the message envelope, so logs carry one trace id per order
/// operation); spans are recorded and exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Metrics
/// are served at <c>/metrics</c> by OpenTelemetry's Prometheus exporter, and pushed over OTLP too when the endpoint is set.
/// </summary>
public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>PrintFlow's activity sources: domain and messaging spans (the libraries' sources come with their instrumentation).</summary>
    public static readonly string[] TraceSources = ["PrintFlow", "PrintFlow.*", MessagingTelemetry.SourceName];

    /// <summary>Process-wide meters (static, not made by a host's meter factory), taken in whichever host runs.</summary>
    public static readonly string[] ProcessMeters = ["Microsoft.EntityFrameworkCore"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var serveMetrics = MetricsServed(builder.Configuration, builder.Environment);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

        builder.Services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PrintFlowMetrics>();

        // Every meter this host's meter factory made (PrintFlow's, ASP.NET Core's, its HttpClients') and only those:
        // two hosts in one process (tests) keep their numbers apart.
        builder.Services.AddMetrics(metrics => metrics.EnableMetrics(null, null, OpenTelemetryListener, MeterScope.Local));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(TraceSources)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsInfrastructurePath(http.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
                // Without an exporter nothing is recorded, but ids still propagate (PropagationData): logs, outbox
                // rows and the ops page keep their trace ids at almost no cost.
                if (exportOtlp)
                {
                    tracing.SetSampler(new ParentBasedSampler(new AlwaysOnSampler())).AddOtlpExporter();
                }
                else
                {
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddRuntimeInstrumentation().AddNpgsqlInstrumentation().AddMeter(ProcessMeters)
                    // Prometheus wants a HELP line per family; EF Core's instruments come without a description.
                    .AddView(instrument => string.IsNullOrEmpty(instrument.Description) ? new MetricStreamConfiguration { Description = instrument.Name } : null);
                if (serveMetrics)
                {
                    metrics.AddPrometheusExporter(o =>
                    {
                        o.ScopeInfoEnabled = false;
                        o.TargetInfoEnabled = false;
                    });
                }

                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        // Registered before every service's hosted services, so tracing and metrics are on when they start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryStartup>());

        // The framework's own request lines include the query string (which may carry secrets) and come in pairs:
        // RequestLogging writes one line per request instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Request logging (early in the pipeline) and the <c>/metrics</c> endpoint: open in Development unless a token is
    /// set; elsewhere served only to scrapers presenting <c>Observability:MetricsToken</c> as a bearer token, and not at
    /// all (404) when none is configured, since order volumes and names are business data.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        if (!MetricsServed(app.Configuration, app.Environment))
        {
            return app;
        }

        var token = app.Configuration[$"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.MetricsToken)}"];
        var expected = string.IsNullOrEmpty(token) ? null : BearerToken.Digest(token);
        app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: scrape => scrape.Use((HttpContext http, RequestDelegate next) =>
            {
                if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
                {
                    http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    return Task.CompletedTask;
                }

                if (expected is not null && !BearerToken.Presents(http.Request, expected))
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }

                return next(http);
            }), optionsName: null)
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    /// <summary>Scrapes and probes, which would otherwise start a trace every few seconds.</summary>
    internal static bool IsInfrastructurePath(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");

    private const string OpenTelemetryListener = "OpenTelemetry";

    private static bool MetricsServed(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment() || !string.IsNullOrEmpty(configuration[$"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.MetricsToken)}"]);

    /// <summary>Builds the providers and the services' observable instruments when the host starts (the container disposes them).</summary>
    private sealed class TelemetryStartup(TracerProvider tracing, MeterProvider metrics, IEnumerable<IMetricsSource> sources) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = tracing;
            _ = metrics;
            _ = sources.Count();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
