using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.Partners.Accounts;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Endpoints;
using PrintFlow.Partners.Handlers;
using PrintFlow.Partners.Webhooks;
using PrintFlow.Resending;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Uploads;

namespace PrintFlow.Partners;

/// <summary>Composition of the Partners service: what a host calls to run it.</summary>
public static class PartnersModule
{
    public const string BasePath = "/api/partners/v1";
    public const string PartnerRole = "partner";
    public const string AuthorizationPolicy = "partner-api";

    public static WebApplicationBuilder AddPartners(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PartnersDbContext>("partners");
        builder.Services.AddMessagingEndpoint<PartnersDbContext>("partners", endpoint => endpoint
            .Handle<OrderStatusChanged, OrderStatusChangedHandler>()
            .Handle<OrderCommandRejected, OrderCommandRejectedHandler>());
        builder.Services.AddUploadUsageRetention<PartnersDbContext>();
        builder.Services.AddOptions<PartnersOptions>()
            .BindConfiguration(PartnersOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSubmissionResender<PartnersDbContext, PartnerOrder>("partners", PartnersOptions.Section, async (db, order, cancellationToken) =>
            order.ToSubmitted(await db.Partners.AsNoTracking().FirstAsync(p => p.Id == order.PartnerId, cancellationToken)));
        builder.Services.AddModelStore().AddModelStoreSweeper();
        builder.Services.AddScoped<PartnerAccounts>();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddHostedService<DemoPartnerSeeder>(); // after AddServiceDatabase: the schema exists first

        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthorizationPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireRole(PartnerRole));
        builder.Services.AddPartnerRateLimiting();
        builder.Services.AddPartnerOpenApi();
        builder.Services.AddPartnerWebhooks();
        return builder;
    }

    public static WebApplication MapPartners(this WebApplication app)
    {
        // Only partner API requests are counted; this runs after authorization, which identified the partner.
        app.UseWhen(http => http.Request.Path.StartsWithSegments(BasePath), partnerApi => partnerApi.UsePartnerRateLimiting());

        var api = app.MapGroup(BasePath).WithGroupName(PartnerOpenApi.DocumentName);
        api.MapPartnerOpenApi();
        api.MapGroup("")
            .RequireAuthorization(AuthorizationPolicy)
            .MapOrderEndpoints();
        api.MapGroup("")
            .RequireAuthorization(AuthorizationPolicy)
            .MapAccountEndpoints();
        api.MapGroup("")
            .RequireAuthorization(AuthorizationPolicy)
            .MapWebhookEndpoints();
        return app;
    }
}
