using Microsoft.AspNetCore.Builder;

namespace PrintFlow.Crm;

/// <summary>Composition of the Crm service: what a host calls to run it.</summary>
public static class CrmModule
{
    public static WebApplicationBuilder AddCrm(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapCrm(this WebApplication app)
    {
        return app;
    }
}
