using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PrintFlow.LiveUpdates;

/// <summary>Carries live-page notices between the instances of a service.</summary>
public interface ILiveFeedBackplane
{
    void Publish(string topic, string data);
}

/// <summary>
/// PostgreSQL LISTEN/NOTIFY as the backplane: instances of one service share its database, so a NOTIFY there reaches
/// them all within milliseconds. Configured by <c>ConnectionStrings:live</c> (deploy/local/up.sh points it at the
/// service's own database); absent in the embedded host, where the feed stays in-process. A notice sent while the
/// listener reconnects is lost, which costs only freshness: the next notice (or the page's reconnect) re-fetches.
/// </summary>
public sealed class PostgresLiveFeedBackplane(string connectionString, LiveFeed feed, ILogger<PostgresLiveFeedBackplane> logger)
    : BackgroundService, ILiveFeedBackplane
{
    public const string ConnectionName = "live";
    private const string Channel = "printflow_live";
    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public void Publish(string topic, string data) => _outgoing.Writer.TryWrite(topic + "\n" + data);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        feed.UseBackplane(this);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAsync(stoppingToken));

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A connection of its own, never pooled: its LISTEN must not follow it back into a pool (a pool that
                // skips the reset on return would hand a listening session to other code).
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    var split = e.Payload.IndexOf('\n');
                    if (split > 0)
                    {
                        feed.Deliver(e.Payload[..split], e.Payload[(split + 1)..]);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                logger.LogWarning("Live feed listener lost PostgreSQL ({Error}); reconnecting", exception.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Notices leave at most this often. What gathers in between goes in one statement, each distinct notice once:
    /// a notice only says "re-fetch", so two alike say nothing more than one. A busy service (an order event every few
    /// milliseconds, each with its notice) then sends about ten statements a second instead of hundreds, and pages
    /// re-fetch at most that often; a notice after a quiet spell still leaves at once.
    /// </summary>
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(100);

    private async Task SendAsync(CancellationToken stoppingToken)
    {
        await using var source = NpgsqlDataSource.Create(connectionString);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var payloads = new List<string>();
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken))
            {
                while (_outgoing.Reader.TryRead(out var payload))
                {
                    if (distinct.Add(payload))
                    {
                        payloads.Add(payload);
                    }
                }

                try
                {
                    await using var command = source.CreateCommand("SELECT pg_notify(@channel, payload) FROM unnest(@payloads) WITH ORDINALITY AS n(payload, position) ORDER BY position");
                    command.Parameters.AddWithValue("channel", Channel);
                    command.Parameters.AddWithValue("payloads", payloads.ToArray());
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException)
                {
                    logger.LogWarning("{Count} live feed notices not sent ({Payloads}): {Error}",
                        payloads.Count, string.Join(", ", payloads.Select(p => p.Replace('\n', ' '))), exception.Message);
                }

                distinct.Clear();
                payloads.Clear();
                await Task.Delay(SendInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public static IServiceCollection AddLiveFeed(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<LiveFeed>();
        if (configuration.GetConnectionString(ConnectionName) is { Length: > 0 } connectionString)
        {
            services.AddSingleton(sp => new PostgresLiveFeedBackplane(
                connectionString, sp.GetRequiredService<LiveFeed>(), sp.GetRequiredService<ILogger<PostgresLiveFeedBackplane>>()));
            services.AddHostedService(sp => sp.GetRequiredService<PostgresLiveFeedBackplane>());
        }

        return services;
    }
}
