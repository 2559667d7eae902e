using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Notifications.Data;
using PrintFlow.Notifications.Endpoints;
using PrintFlow.Notifications.Handlers;
using PrintFlow.Notifications.Rendering;
using PrintFlow.Notifications.Sending;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Notifications;

/// <summary>
/// Composition of the Notifications service: emails shop customers the steps of their orders, exactly one per event,
/// through a pickup folder (the embedded default) or SMTP. Partners hear through their webhooks instead.
/// </summary>
public static class NotificationsModule
{
    public static WebApplicationBuilder AddNotifications(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<NotificationsDbContext>("notifications");
        builder.Services.AddMessagingEndpoint<NotificationsDbContext>("notifications", endpoint => endpoint
            .Handle<OrderStatusChanged, OrderStatusChangedHandler>()
            .Handle<OrderStuck, OrderStuckHandler>()
            .Handle<AccountEmailRequested, AccountEmailRequestedHandler>());
        builder.Services.AddOptions<NotificationsOptions>()
            .BindConfiguration(NotificationsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationsOptions>, NotificationsOptionsValidator>();
        // A test gives this service a fake clock of its own (keyed), leaving the rest of the host on real time.
        builder.Services.AddSingleton(sp => new NotificationsClock(
            sp.GetKeyedService<TimeProvider>(NotificationsClock.Key) ?? sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<SenderSignal>();
        builder.Services.AddSingleton<NotificationsMetrics>();
        builder.Services.AddSingleton<PreferenceTokens>();
        builder.Services.AddSingleton<MessageRenderer>();
        builder.Services.AddScoped<NotificationWriter>();
        builder.Services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<NotificationsOptions>>().Value.Delivery == MailDelivery.Smtp
            ? ActivatorUtilities.CreateInstance<SmtpTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupFolderTransport>(sp));
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationSender>());
        return builder;
    }

    public static WebApplication MapNotifications(this WebApplication app)
    {
        app.MapPost(PreferenceEndpoints.ChangePath, PreferenceEndpoints.ChangeAsync).DisableAntiforgery();
        app.MapGet(PreferenceEndpoints.ChangePath, PreferenceEndpoints.ShowPage);
        app.MapGet(PreferenceEndpoints.MinePath, PreferenceEndpoints.Mine).RequireAuthorization(policy => policy.RequireRole(Roles.Customer));
        if (app.Environment.IsDevelopment())
        {
            app.MapGet("/dev/notifications/{id:guid}", PreferenceEndpoints.SentBodyAsync);
        }

        return app;
    }
}
