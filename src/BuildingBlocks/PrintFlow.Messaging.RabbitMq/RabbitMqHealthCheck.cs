using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>Not ready while the broker connection is down: events wait in the outbox and no queue is consumed.</summary>
public sealed class RabbitMqHealthCheck(RabbitMqConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsOpen
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The RabbitMQ connection is down; events wait in the outbox until it is back."));
}
