using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>A service's class that owns observable instruments: registered so the host creates it at start-up.</summary>
public interface IMetricsSource;

public static class MetricsSourceExtensions
{
    public static IServiceCollection AddMetricsSource<T>(this IServiceCollection services) where T : class, IMetricsSource
    {
        services.AddSingleton<T>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
