using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace PrintFlow.Messaging.RabbitMq;

/// <summary>
/// The process's one long-lived broker connection. The client recovers it (and its channels, queues, bindings and
/// consumers) after a network failure or a broker restart; only the very first connection is retried here.
/// </summary>
public sealed class RabbitMqConnection(IOptions<RabbitMqOptions> options, ILogger<RabbitMqConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private bool _disposed;

    /// <summary>True while the broker can be reached; false before the first connection and while recovering.</summary>
    public bool IsOpen => _connection?.IsOpen == true;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { } raced)
            {
                return raced;
            }

            var settings = options.Value;
            var factory = new ConnectionFactory
            {
                Uri = new Uri(settings.Uri),
                AutomaticRecoveryEnabled = true,
                TopologyRecoveryEnabled = true,
                NetworkRecoveryInterval = settings.ReconnectDelay,
                RequestedHeartbeat = TimeSpan.FromSeconds(10),
                ClientProvidedName = settings.ConnectionName ?? $"printflow:{AppDomain.CurrentDomain.FriendlyName}:{Environment.ProcessId}",
            };
            var connection = await factory.CreateConnectionAsync(cancellationToken);
            connection.ConnectionShutdownAsync += (_, e) =>
            {
                if (e.Initiator != ShutdownInitiator.Application)
                {
                    logger.LogWarning("RabbitMQ connection lost ({ReplyCode} {ReplyText}); recovering", e.ReplyCode, e.ReplyText);
                }

                return Task.CompletedTask;
            };
            connection.RecoverySucceededAsync += (_, _) =>
            {
                logger.LogInformation("RabbitMQ connection recovered");
                return Task.CompletedTask;
            };
            logger.LogInformation("Connected to RabbitMQ at {Host}:{Port}", factory.HostName, factory.Port);
            _connection = connection;
            return connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is { } connection)
            {
                _connection = null;
                try
                {
                    await connection.CloseAsync();
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    logger.LogDebug(exception, "Closing the RabbitMQ connection failed");
                }

                await connection.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
