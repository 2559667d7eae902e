using Microsoft.AspNetCore.Builder;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Handlers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Ordering.Pages;
using PrintFlow.Ordering.Watchdog;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Ordering;

/// <summary>Composition of the Ordering service: the process manager that owns every order's lifecycle.</summary>
public static class OrderingModule
{
    public static WebApplicationBuilder AddOrdering(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<OrderingDbContext>("ordering");
        builder.Services.AddMessagingEndpoint<OrderingDbContext>("ordering", endpoint => endpoint
            .Handle<OrderSubmitted, OrderSubmittedHandler>()
            .Handle<PriceCalculated, PriceCalculatedHandler>()
            .Handle<PricingFailed, PricingFailedHandler>()
            .Handle<QuoteRefined, QuoteRefinedHandler>()
            .Handle<OrderConfirmationRequested, OrderConfirmationRequestedHandler>()
            .Handle<OrderCancellationRequested, OrderCancellationRequestedHandler>()
            .Handle<ManufacturingProgressed, ManufacturingProgressedHandler>()
            .Handle<ManufacturingUnschedulable, ManufacturingUnschedulableHandler>());
        builder.Services.AddOptions<OrderingOptions>().BindConfiguration(OrderingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<OpsQueries>();
        builder.Services.AddSingleton<OrderWatchdog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OrderWatchdog>());
        builder.Services.AddMetricsSource<OrderStateGauges>();
        return builder;
    }

    public const string OpsTopic = "ops";

    public static WebApplication MapOrdering(this WebApplication app)
    {
        var ops = app.MapGroup("/ops").RequireAuthorization(policy => policy.RequireRole(Roles.Supervisor, Roles.Sales));
        ops.MapGet("/fragment", () => new RazorComponentResult<OpsSummary>());
        ops.MapGet("/events", (LiveFeed feed, HttpContext http) => feed.Stream(OpsTopic, http));
        return app;
    }
}
