using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Migrations;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.ServiceDefaults;

public static class ServiceDatabase
{
    /// <summary>
    /// Registers a service's own database. The provider comes from <c>Database:Provider</c>; the connection
    /// string from <c>ConnectionStrings:{name}</c>, or a SQLite file <c>{DataDirectory}/{name}.db</c> by default.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TDbContext>(this IHostApplicationBuilder builder, string name)
        where TDbContext : ServiceDbContext
    {
        var provider = builder.Configuration[$"{DatabaseOptions.Section}:Provider"] ?? "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString(name);
        if (provider == "Sqlite" && string.IsNullOrWhiteSpace(connectionString))
        {
            var dataDirectory = DataDirectory.Resolve(builder.Configuration, builder.Environment);
            connectionString = $"Data Source={Path.Combine(dataDirectory, name + ".db")};Pooling=True;Default Timeout=30";
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"ConnectionStrings:{name} is required when Database:Provider is {provider}.");
        }

        // Pooled, because building a context with its services per message or request cost a busy service several
        // percent of its CPU (docs/messaging.md); the options are built once, from the root services.
        builder.Services.AddDbContextPool<TDbContext>((services, options) =>
        {
            _ = provider switch
            {
                "Sqlite" => options.UseSqlite(connectionString),
                "Postgres" => options.UseNpgsql(connectionString, npgsql => npgsql.ConfigureDataSource(data => data.TraceOnlyWithinTraces())),
                _ => throw new InvalidOperationException($"Unknown Database:Provider '{provider}': use Sqlite or Postgres."),
            };
            // Debug, because a failed command still throws to a caller that handles or logs it with its own context,
            // and EF's own Error line made every handled conflict read like a failure (docs/observability.md).
            options.ConfigureWarnings(warnings => warnings.Log(
                (RelationalEventId.CommandError, LogLevel.Debug),
                (CoreEventId.SaveChangesFailed, LogLevel.Debug),
                (CoreEventId.QueryIterationFailed, LogLevel.Debug)));
            if (services.GetService<OutboxCommitInterceptor<TDbContext>>() is { } interceptor)
            {
                options.AddInterceptors(interceptor);
            }
        });
        builder.Services.AddSingleton<DatabaseInitializer<TDbContext>>();
        builder.Services.AddSingleton<IDatabaseInitializer>(sp => sp.GetRequiredService<DatabaseInitializer<TDbContext>>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseInitializer<TDbContext>>());
        return builder;
    }
}

public interface IDatabaseInitializer
{
    string Name { get; }
    bool IsReady { get; }
}

/// <summary>
/// Migrates the service's database to the newest of the versioned SQL scripts its assembly embeds
/// (Data/Migrations/{Sqlite|Postgres}/NNNN_name.sql, see docs/decisions/0010-migrations.md), after the streams of the
/// building blocks its model maps (the outbox and inbox first; docs/decisions/0019-migration-streams.md), before anything else of
/// the service starts. Several instances may start at once: the migrator takes a lock per step. A database server
/// that cannot be reached yet is waited for, up to <see cref="DatabaseOptions.StartupTimeout"/>.
/// </summary>
public sealed class DatabaseInitializer<TDbContext>(
    IServiceScopeFactory scopes,
    IOptions<DatabaseOptions> options,
    TimeProvider clock,
    ILogger<DatabaseInitializer<TDbContext>> logger)
    : IHostedService, IDatabaseInitializer
    where TDbContext : ServiceDbContext
{
    public string Name => typeof(TDbContext).Name;
    public bool IsReady { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await DatabaseStartup.RetryWhileUnreachableAsync($"The database of {Name}", MigrateAsync, options.Value.StartupTimeout, clock, logger, cancellationToken);
        IsReady = true;
        logger.LogInformation("Database of {DbContext} is ready", Name);
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var provider = DatabaseProviders.Of(db);
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            // WAL lets readers go on while one writer commits; NORMAL sync is durable across process crashes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", cancellationToken);
        }

        var streams = MigrationStream.For(db, provider);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await new SchemaMigrator(logger).MigrateAsync(db.Database.GetDbConnection(), provider, streams, Name, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Why the server could not be reached (refused, unknown host, starting up), or null for any other failure.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Start-up work against a database server that may not be reachable yet (it is starting, or starts after us).</summary>
public static class DatabaseStartup
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs <paramref name="work"/>, again every two seconds while the server cannot be reached, and gives up with
    /// <see cref="DatabaseUnreachableException"/> after <paramref name="timeout"/> (Database:StartupTimeout).
    /// </summary>
    public static async Task RetryWhileUnreachableAsync(
        string what, Func<CancellationToken, Task> work, TimeSpan timeout, TimeProvider clock, ILogger logger, CancellationToken cancellationToken)
    {
        var giveUpAt = clock.GetUtcNow() + timeout;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work(cancellationToken);
                return;
            }
            catch (Exception exception) when (Unreachable(exception) is { } reason && !cancellationToken.IsCancellationRequested)
            {
                // The last wait is cut to the deadline, so a slow first attempt still leaves room for another one.
                var left = giveUpAt - clock.GetUtcNow();
                var delay = left < RetryDelay ? left : RetryDelay;
                if (delay <= TimeSpan.Zero)
                {
                    throw new DatabaseUnreachableException(
                        $"{what} could not be reached within {timeout.TotalSeconds:0} s (Database:StartupTimeout): {reason}. " +
                        "Check that the database server is running and ConnectionStrings is right.",
                        exception);
                }

                logger.LogWarning("{What} cannot be reached yet ({Reason}); trying again in {DelaySeconds} s (attempt {Attempt})",
                    what, reason, Math.Round(delay.TotalSeconds, 1), attempt);
                await Task.Delay(delay, clock, cancellationToken);
            }
        }
    }

    private static string? Unreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case System.Net.Sockets.SocketException socket:
                    return socket.Message;
                case Npgsql.PostgresException { SqlState: "57P03" } starting: // the database system is starting up
                    return starting.MessageText;
            }
        }

        return null;
    }
}

public static class DataDirectory
{
    public static string Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[$"{PrintFlowOptions.Section}:DataDirectory"] ?? "data";
        return Path.GetFullPath(Path.Combine(environment.ContentRootPath, configured));
    }
}

/// <summary>A service's database server could not be reached within <see cref="DatabaseOptions.StartupTimeout"/>.</summary>
public sealed class DatabaseUnreachableException(string message, Exception inner) : Exception(message, inner);
