using Microsoft.AspNetCore.Builder;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Handlers;
using PrintFlow.ServiceDefaults;

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
            .Handle<OrderConfirmationRequested, OrderConfirmationRequestedHandler>()
            .Handle<OrderCancellationRequested, OrderCancellationRequestedHandler>()
            .Handle<ManufacturingProgressed, ManufacturingProgressedHandler>());
        return builder;
    }

    public static WebApplication MapOrdering(this WebApplication app)
    {
        return app;
    }
}
