using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.Pricing.Analysis;
using PrintFlow.Pricing.Core;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Exact;
using PrintFlow.Pricing.Handlers;
using PrintFlow.Pricing.Options;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Pricing;

/// <summary>Composition of the Pricing service: model analysis and quotes, as competing consumers of price requests.</summary>
public static class PricingModule
{
    public static WebApplicationBuilder AddPricing(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PricingDbContext>("pricing");
        builder.Services.AddMessagingEndpoint<PricingDbContext>("pricing", endpoint => endpoint
            .Handle<PriceRequested, PriceRequestedHandler>()
            .Handle<CartQuoteRequested, CartQuoteRequestedHandler>()
            .ApplyOneAtATime()); // an analysis takes up to seconds: each quote commits (and goes out) as soon as it is ready

        // The price list: built-in defaults, overridden by the "Pricing" configuration section; invalid → no start.
        var options = PricingOptions.Default;
        builder.Configuration.GetSection(PricingOptions.SectionName).Bind(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The Pricing configuration is invalid: " + string.Join(" ", errors));
        }

        // How the work is scheduled: analysis concurrency and size classes, exact mode (docs/pricing-service.md).
        var service = new PricingServiceOptions();
        builder.Configuration.GetSection(PricingServiceOptions.SectionName).Bind(service);
        var slicer = new ExactSlicerOptions();
        builder.Configuration.GetSection(ExactSlicerOptions.SectionName).Bind(slicer);
        errors = [.. service.Validate(), .. slicer.Validate()];
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The Pricing configuration is invalid: " + string.Join(" ", errors));
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(slicer);
        builder.Services.AddSingleton(sp => new Quoter(options, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddModelStore();
        builder.Services.AddSingleton<AnalysisScheduler>();
        builder.Services.AddSingleton<ModelAnalyzer>();
        builder.Services.AddSingleton<ExactSlicer>();
        builder.Services.AddSingleton<ExactJobSignal>();
        builder.Services.AddSingleton<ExactRefiner>();
        builder.Services.AddHostedService<ExactRefinementWorker>();
        return builder;
    }

    public static WebApplication MapPricing(this WebApplication app)
    {
        return app;
    }
}
