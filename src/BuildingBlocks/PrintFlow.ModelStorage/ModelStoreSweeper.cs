using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.ModelStorage;

/// <summary>
/// Removes models no order holds once they are older than <see cref="PrintFlowOptions.ModelRetention"/>, and stale
/// temporary files, every <see cref="PrintFlowOptions.ModelSweepInterval"/>. Several processes may sweep the same
/// store: each model is moved aside atomically before it is deleted, so they do not trip over each other.
/// </summary>
public sealed class ModelStoreSweeper(IModelStore store, IOptions<PrintFlowOptions> options, TimeProvider clock, ILogger<ModelStoreSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // start-up does not wait for the first sweep
        using var timer = new PeriodicTimer(options.Value.ModelSweepInterval, clock);
        do
        {
            try
            {
                var report = await store.SweepAsync(clock.GetUtcNow(), options.Value.ModelRetention, stoppingToken);
                if (report.ModelsDeleted > 0 || report.TemporaryFilesDeleted > 0)
                {
                    logger.LogInformation("Model store sweep removed {Models} unheld model(s) ({Bytes} bytes) and {Temporary} stale temporary file(s)",
                        report.ModelsDeleted, report.BytesDeleted, report.TemporaryFilesDeleted);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException or HttpRequestException)
            {
                logger.LogWarning(exception, "Model store sweep failed; it runs again in {Interval}", options.Value.ModelSweepInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class ModelStorageExtensions
{
    /// <summary>
    /// The model store chosen by <c>ModelStore:Provider</c> (Files by default), validated at start-up. Called by every
    /// service that reads or writes models; the first call registers it.
    /// </summary>
    public static IServiceCollection AddModelStore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<ModelStoreOptions>)))
        {
            return services;
        }

        services.AddOptions<ModelStoreOptions>().BindConfiguration(ModelStoreOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelStoreOptions>, ModelStoreOptionsValidator>();
        services.TryAddSingleton<IModelStore>(sp => sp.GetRequiredService<IOptions<ModelStoreOptions>>().Value.Provider == ModelStoreProvider.S3
            ? ActivatorUtilities.CreateInstance<S3ModelStore>(sp)
            : ActivatorUtilities.CreateInstance<FileModelStore>(sp));
        return services;
    }

    /// <summary>Called by every service that writes models; the sweeper runs once per process however many call it.</summary>
    public static IServiceCollection AddModelStoreSweeper(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelStoreSweeper>());
        return services;
    }
}
