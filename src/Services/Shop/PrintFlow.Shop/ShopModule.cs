using Microsoft.AspNetCore.Builder;

namespace PrintFlow.Shop;

/// <summary>Composition of the Shop service: what a host calls to run it.</summary>
public static class ShopModule
{
    public static WebApplicationBuilder AddShop(this WebApplicationBuilder builder)
    {
        return builder;
    }

    public static WebApplication MapShop(this WebApplication app)
    {
        return app;
    }
}
