using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrintFlow.Messaging;
using PrintFlow.Partners.Data;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Partners.Webhooks;

internal static class WebhookServices
{
    public static IServiceCollection AddPartnerWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxRetryDelay >= o.RetryBaseDelay, $"{WebhookOptions.Section}:MaxRetryDelay must not be shorter than RetryBaseDelay.")
            .ValidateOnStart();
        services.TryAddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton<WebhookUrlPolicy>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookHttp>();
        services.AddMetricsSource<WebhookMetrics>();
        services.AddScoped<WebhookStaging>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddRetentionRule<PartnersDbContext, DeliveredWebhookRetention>();
        return services;
    }
}
