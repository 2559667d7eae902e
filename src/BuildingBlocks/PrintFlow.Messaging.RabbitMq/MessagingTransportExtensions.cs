using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PrintFlow.Messaging;
using PrintFlow.Messaging.RabbitMq;

// In the hosting namespace so a host's Program.cs composes the transport with one line and no extra using.
namespace Microsoft.Extensions.Hosting;

public static class MessagingTransportExtensions
{
    public const string InProcess = "InProcess";
    public const string RabbitMq = "RabbitMq";

    /// <summary>
    /// The one switch between transports, from <c>Messaging:Transport</c>: "InProcess" (the default, nothing to add)
    /// or "RabbitMq". Call it after the service modules, which register the endpoints.
    /// </summary>
    public static TBuilder AddMessagingTransport<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var transport = builder.Configuration[$"{MessagingOptions.Section}:{nameof(MessagingOptions.Transport)}"] ?? InProcess;
        if (string.Equals(transport, RabbitMq, StringComparison.OrdinalIgnoreCase))
        {
            builder.Services.AddRabbitMqTransport();
        }
        else if (!string.Equals(transport, InProcess, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Messaging:Transport is '{transport}'; use '{InProcess}' or '{RabbitMq}'.");
        }

        return builder;
    }

    /// <summary>
    /// Replaces the in-process transport with RabbitMQ (so nothing is dispatched in-process any more), consumes this
    /// process's endpoints from their queues, and reports the broker connection on /health/ready.
    /// </summary>
    public static IServiceCollection AddRabbitMqTransport(this IServiceCollection services)
    {
        services.AddMessaging();
        services.AddOptions<RabbitMqOptions>()
            .BindConfiguration(RabbitMqOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(PrintFlowTopology.Default);
        services.TryAddSingleton<RabbitMqConnection>();
        services.TryAddSingleton<RabbitMqTopology>();
        services.TryAddSingleton<ConfirmingPublisher>();
        services.TryAddSingleton(sp => new RabbitMqMetrics(sp));
        services.TryAddSingleton<RabbitMqTransport>();
        services.Replace(ServiceDescriptor.Singleton<IMessageTransport>(sp => sp.GetRequiredService<RabbitMqTransport>()));
        services.TryAddSingleton<RabbitMqConsumerService>();
        services.AddHostedService(sp => sp.GetRequiredService<RabbitMqConsumerService>());
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: ["ready"]);
        return services;
    }
}
