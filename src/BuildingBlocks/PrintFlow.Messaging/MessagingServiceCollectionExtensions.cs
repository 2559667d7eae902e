using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;

namespace PrintFlow.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Options, clock and the in-process transport (the embedded default); a broker host replaces the transport.</summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IMessageTransport, InProcessTransport>();
        services.TryAddSingleton(sp => new MessagingMetrics(sp));
        return services;
    }

    /// <summary>
    /// Gives a service's DbContext an outbox relay and a consuming endpoint named <paramref name="name"/> with the
    /// handlers configured. A service that only publishes configures no handler.
    /// </summary>
    public static IServiceCollection AddMessagingEndpoint<TDbContext>(
        this IServiceCollection services, string name, Action<MessagingEndpointBuilder<TDbContext>>? configure = null)
        where TDbContext : ServiceDbContext
    {
        var builder = new MessagingEndpointBuilder<TDbContext>(services);
        configure?.Invoke(builder);
        var handlers = builder.Handlers.ToFrozenDictionary(StringComparer.Ordinal);

        services.AddMessaging();
        services.AddSingleton<OutboxSignal<TDbContext>>();
        services.AddSingleton<OutboxCommitInterceptor<TDbContext>>();
        services.AddSingleton<IMessageEndpoint>(sp => new MessageEndpoint<TDbContext>(
            name,
            handlers,
            sp.GetRequiredService<IServiceScopeFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MessageEndpoint<TDbContext>>>(),
            sp.GetRequiredService<MessagingMetrics>(),
            () => builder.OneAtATime ? 1 : sp.GetRequiredService<IOptions<MessagingOptions>>().Value.MaxBatchSize));
        services.AddSingleton(sp => new OutboxMonitor<TDbContext>(name, sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IOutboxMonitor>(sp => sp.GetRequiredService<OutboxMonitor<TDbContext>>());
        services.AddSingleton<OutboxRelay<TDbContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay<TDbContext>>());
        services.AddSingleton<MessageRetention<TDbContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<MessageRetention<TDbContext>>());
        return services;
    }
}

public sealed class MessagingEndpointBuilder<TDbContext>(IServiceCollection services) where TDbContext : ServiceDbContext
{
    internal Dictionary<string, HandlerRegistration> Handlers { get; } = new(StringComparer.Ordinal);
    internal bool OneAtATime { get; private set; }

    /// <summary>
    /// Each message in its own transaction even when several wait: for handlers whose work is long (a model's
    /// analysis), where a shared transaction would hold every result back until the last one is done.
    /// </summary>
    public MessagingEndpointBuilder<TDbContext> ApplyOneAtATime()
    {
        OneAtATime = true;
        return this;
    }

    public MessagingEndpointBuilder<TDbContext> Handle<TEvent, THandler>()
        where TEvent : IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        services.AddScoped<THandler>();
        Handlers.Add(MessageTypes.NameOf<TEvent>(), new HandlerRegistration(
            typeof(THandler),
            (provider, message, context, cancellationToken) =>
                provider.GetRequiredService<THandler>().HandleAsync((TEvent)message, context, cancellationToken)));
        return this;
    }
}
