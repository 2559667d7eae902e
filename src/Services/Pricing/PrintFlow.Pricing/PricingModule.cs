using Microsoft.AspNetCore.Builder;

namespace PrintFlow.Pricing;

/// <summary>Composition of the Pricing service: what a host calls to run it.</summary>
public static class PricingModule
{
    public static WebApplicationBuilder AddPricing(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapPricing(this WebApplication app)
    {
        return app;
    }
}
