using Microsoft.Extensions.Hosting;

namespace PrintFlow.ServiceDefaults;

/// <summary>A setting found wrong while the host was composed: starting fails with its reason, which Program prints as one line.</summary>
public sealed class StartupRefusal(string reason) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(reason);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
