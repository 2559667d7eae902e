using Microsoft.AspNetCore.Builder;

namespace PrintFlow.Partners;

/// <summary>Composition of the Partners service: what a host calls to run it.</summary>
public static class PartnersModule
{
    public static WebApplicationBuilder AddPartners(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapPartners(this WebApplication app)
    {
        return app;
    }
}
