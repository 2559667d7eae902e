using Microsoft.AspNetCore.Builder;

namespace PrintFlow.Ordering;

/// <summary>Composition of the Ordering service: what a host calls to run it.</summary>
public static class OrderingModule
{
    public static WebApplicationBuilder AddOrdering(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapOrdering(this WebApplication app)
    {
        return app;
    }
}
