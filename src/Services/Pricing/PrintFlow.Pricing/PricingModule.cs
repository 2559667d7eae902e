using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Handlers;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Pricing;

/// <summary>Composition of the Pricing service: model analysis and quotes, as competing consumers of price requests.</summary>
public static class PricingModule
{
    public static WebApplicationBuilder AddPricing(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PricingDbContext>("pricing");
        builder.Services.AddMessagingEndpoint<PricingDbContext>("pricing", endpoint => endpoint
            .Handle<PriceRequested, PriceRequestedHandler>());

        // The price list: built-in defaults, overridden by the "Pricing" configuration section; invalid → no start.
        var options = PricingOptions.Default;
        builder.Configuration.GetSection(PricingOptions.SectionName).Bind(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The Pricing configuration is invalid: " + string.Join(" ", errors));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sp => new Quoter(options, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ModelAnalyzer>();
        return builder;
    }

    public static WebApplication MapPricing(this WebApplication app)
    {
        return app;
    }
}
