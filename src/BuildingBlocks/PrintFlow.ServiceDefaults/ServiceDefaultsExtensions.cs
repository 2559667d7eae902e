using System.Diagnostics;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>What every PrintFlow process has: options, JSON logs, problem details, health, auth, model store, messaging.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PrintFlowOptions>().BindConfiguration(PrintFlowOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (!string.Equals(builder.Configuration["Logging:Format"], "simple", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier);
            context.ProblemDetails.Extensions.TryAdd("code", CodeOf(context.ProblemDetails.Status));
        });
        builder.Services.AddHealthChecks().AddCheck<DatabasesReadyCheck>("databases", tags: ["ready"]);

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = "printflow.auth";
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/login";
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => RejectApiOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => RejectApiOrRedirect(context, StatusCodes.Status403Forbidden);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery();
        // Keys beside the data, so sign-in cookies and form tokens survive a restart of the host.
        builder.Services.AddDataProtection()
            .SetApplicationName("PrintFlow")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(DataDirectory.Resolve(builder.Configuration, builder.Environment), "keys")));
        builder.Services.AddHttpContextAccessor();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DemoAccounts>();
        builder.Services.AddAccountPeers(builder.Configuration);
        PostgresLiveFeedBackplane.AddLiveFeed(builder.Services, builder.Configuration);
        builder.Services.AddSingleton<IModelStore, FileModelStore>();
        builder.Services.AddMessaging();
        builder.AddObservability();
        // First of all hosted services: a default secret stops the process before it connects anywhere.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, ProductionSecrets>());
        return builder;
    }

    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseObservability();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapAccountEndpoints();
        app.MapAccountPeerEndpoint();
        return app;
    }

    private static Task RejectApiOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
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
