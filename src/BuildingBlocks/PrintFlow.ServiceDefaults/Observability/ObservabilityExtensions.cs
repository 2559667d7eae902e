using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PrintFlow.Messaging;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// Traces, metrics and request logs, set up once for every PrintFlow process. Trace context always flows (through
/// HTTP, the outbox row and the message envelope, so logs carry one trace id per order operation); spans are
/// recorded and exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Metrics are served at
/// <c>/metrics</c> in Prometheus text format, and pushed over OTLP too when the endpoint is set.
/// </summary>
public static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>Activity sources whose spans make up an order's trace.</summary>
    public static readonly string[] TraceSources = ["PrintFlow", "PrintFlow.*", MessagingTelemetry.SourceName, DatabaseTracing.SourceName, "Microsoft.AspNetCore"];

    /// <summary>Meters exported over OTLP (the Prometheus endpoint takes what its host's meter factory made).</summary>
    public static readonly string[] OtlpMeters =
        [PrintFlowMetrics.MeterName, MessagingTelemetry.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var otlpEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var exportOtlp = !string.IsNullOrWhiteSpace(otlpEndpoint);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName;

        DatabaseTracing.EnsureSubscribed();
        builder.Services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<PrintFlowMetrics>();
        builder.Services.AddSingleton<MetricsCollector>();
        builder.Services.AddSingleton(_ =>
        {
            var tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
                .AddSource(TraceSources);
            // Without an exporter nothing is recorded, but ids still propagate (PropagationData): logs, outbox
            // rows and the ops page keep their trace ids at almost no cost.
            tracing = exportOtlp
                ? tracing.SetSampler(new ParentBasedSampler(new AlwaysOnSampler())).AddOtlpExporter(o => Target(o, builder.Configuration, "/v1/traces"))
                : tracing.SetSampler(new AlwaysOffSampler());
            return new Telemetry(tracing.Build()!, exportOtlp
                ? Sdk.CreateMeterProviderBuilder()
                    .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
                    .AddMeter(OtlpMeters)
                    .AddOtlpExporter((o, reader) =>
                    {
                        Target(o, builder.Configuration, "/v1/metrics");
                        reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
                    })
                    .Build()
                : null);
        });
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Telemetry>().Tracing);
        if (exportOtlp)
        {
            builder.Services.AddSingleton(sp => sp.GetRequiredService<Telemetry>().Metrics!);
        }

        // Registered before every service's hosted services, so tracing and metrics are on when they start.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, TelemetryStartup>());

        // The framework's own request lines include the query string (which may carry secrets) and come in pairs:
        // RequestLogging writes one line per request instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Request logging and span naming (early in the pipeline) and the <c>/metrics</c> endpoint: open in Development
    /// unless a token is set; elsewhere served only to scrapers presenting <c>Observability:MetricsToken</c> as a
    /// bearer token, and not at all (404) when none is configured, since order volumes and names are business data.
    /// </summary>
    public static WebApplication UseObservability(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        var token = app.Configuration[$"{ObservabilityOptions.Section}:{nameof(ObservabilityOptions.MetricsToken)}"];
        if (string.IsNullOrEmpty(token) && !app.Environment.IsDevelopment())
        {
            return app;
        }

        var expected = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        app.MapGet(MetricsPath, (HttpContext http, MetricsCollector collector) => expected is null || PresentsToken(http.Request, expected)
                ? Results.Text(PrometheusTextFormat.Write(collector.Collect()), PrometheusTextFormat.ContentType)
                : Results.Unauthorized())
            .ExcludeFromDescription()
            .AllowAnonymous();
        return app;
    }

    /// <summary>Compares digests in constant time, so neither the token's content nor its length leaks through timing.</summary>
    private static bool PresentsToken(HttpRequest request, byte[] expected)
    {
        const string Bearer = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim())), expected);
    }

    /// <summary>
    /// The exporter reads OTEL_EXPORTER_OTLP_* from the environment itself; when the endpoint comes from other
    /// configuration (appsettings, command line) it is applied here, with the signal's path for OTLP over HTTP.
    /// </summary>
    private static void Target(OtlpExporterOptions options, IConfiguration configuration, string signalPath)
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
        {
            return;
        }

        if (string.Equals(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "http/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            options.Protocol = OtlpExportProtocol.HttpProtobuf;
        }

        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]!.TrimEnd('/');
        options.Endpoint = new Uri(options.Protocol == OtlpExportProtocol.HttpProtobuf ? endpoint + signalPath : endpoint);
    }

    private sealed record Telemetry(TracerProvider Tracing, MeterProvider? Metrics) : IDisposable
    {
        public void Dispose()
        {
            Metrics?.Dispose();
            Tracing.Dispose();
        }
    }

    /// <summary>Creates the providers and the collector when the host starts (the DI container disposes them).</summary>
    private sealed class TelemetryStartup(Telemetry telemetry, MetricsCollector collector) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = telemetry;
            _ = collector;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
