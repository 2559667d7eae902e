using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.ServiceDefaults.Observability;
using PrintFlow.ServiceDefaults.Uploads;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>What every PrintFlow process has: options, console logs (JSON outside Development), problem details, health, HTTP security, feature flags, messaging (accounts: <c>AddAccounts</c>).</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrintFlowOptions>().BindConfiguration(PrintFlowOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.ClearProviders();
        if (LogFormat(builder.Configuration, builder.Environment) == "json")
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier);
            context.ProblemDetails.Extensions.TryAdd("code", CodeOf(context.ProblemDetails.Status));
            if (context.ProblemDetails.Status is { } status)
            {
                context.ProblemDetails.Title = Problems.TitleOf(status); // in the request's language, as the detail is
            }
        });
        builder.Services.AddPrintFlowLocalization();
        builder.Services.AddHealthChecks().AddCheck<DatabasesReadyCheck>("databases", tags: ["ready"]);

        FeatureFlags.AddFeatureFlags(builder.Services, builder.Configuration);
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery();
        HttpSecurity.AddForwardedHeaders(builder.Services, builder.Configuration);
        HttpSecurity.AddDataProtectionKeys(builder.Services, builder.Configuration, builder.Environment,
            Path.Combine(DataDirectory.Resolve(builder.Configuration, builder.Environment), "keys"));
        builder.Services.AddHttpContextAccessor();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddRequestLimits();
        builder.Services.AddMessaging();
        builder.AddObservability();
        // First of all hosted services: a default secret stops the process before it connects anywhere.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ProductionSecrets>());
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseForwardedHeaders(); // first: everything after sees the client's scheme and address
        app.UseSecurityHeaders();
        app.UsePrintFlowLocalization(); // before anything that writes a page or a problem
        if (app.Environment.IsProduction())
        {
            app.UseHsts(); // only on HTTPS requests (forwarded ones included), never on plain-HTTP loopback
        }

        app.UseObservability();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    /// <summary>
    /// <c>Logging:Format</c>: <c>json</c> (one JSON object per line, for log collectors) or <c>simple</c> (one readable
    /// line each); unset, a person running <c>dotnet run</c> (Development) reads simple lines and every other environment
    /// writes JSON.
    /// </summary>
    public static string LogFormat(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Logging:Format"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return environment.IsDevelopment() ? "simple" : "json";
        }

        return configured.Trim().ToLowerInvariant() switch
        {
            "json" => "json",
            "simple" => "simple",
            _ => throw new InvalidOperationException($"Logging:Format is '{configured}'; use 'json' or 'simple' (unset: simple in Development, json elsewhere)."),
        };
    }

    private static string CodeOf(int? status) => status switch
    {
        400 => "request.invalid",
        401 => "auth.required",
        403 => "auth.forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        413 => "upload.too-large",
        415 => "request.unsupported-media-type",
        429 => "rate-limited",
        _ => "server.error",
    };
}

/// <summary>Ready once every service database of the process has its schema.</summary>
public sealed class DatabasesReadyCheck(IEnumerable<IDatabaseInitializer> initializers) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = initializers.Where(i => !i.IsReady).Select(i => i.Name).ToArray();
        return Task.FromResult(waiting.Length == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Waiting for: {string.Join(", ", waiting)}"));
    }
}
