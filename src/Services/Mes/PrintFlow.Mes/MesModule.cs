using Microsoft.AspNetCore.Builder;

namespace PrintFlow.Mes;

/// <summary>Composition of the Mes service: what a host calls to run it.</summary>
public static class MesModule
{
    public static WebApplicationBuilder AddMes(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapMes(this WebApplication app)
    {
        return app;
    }
}
