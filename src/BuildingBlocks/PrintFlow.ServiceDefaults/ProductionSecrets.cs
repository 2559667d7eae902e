using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace PrintFlow.ServiceDefaults;

/// <summary>
/// Outside Development a process refuses to start with a secret anyone can look up: the broker's built-in users
/// (guest/guest, printflow/printflow), the local database password, or a short metrics token (the internal key is
/// refused by the same <see cref="KeyProblem"/> in every environment, where AccountPeers reads it). The error names
/// the setting, never its value. Runs as the first hosted service, so it fails before anything connects anywhere.
/// </summary>
public sealed class ProductionSecrets(IConfiguration configuration, IHostEnvironment environment) : IHostedService
{
    /// <summary>Values that ship in this repository, its scripts or the servers' packages.</summary>
    private static readonly HashSet<string> KnownValues = new(StringComparer.OrdinalIgnoreCase)
    {
        "printflow", "guest", "postgres", "password", "secret", "admin", "changeme", "change-me",
    };

    /// <summary>The shortest shared key accepted (internal key, metrics token): long enough that guessing it is hopeless.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>
    /// The one rule for a shared key: unset turns its feature off; set, it must hold at least
    /// <see cref="MinimumKeyLength"/> characters (every built-in value is shorter). Names the setting, never its value.
    /// </summary>
    public static string? KeyProblem(string setting, string? value)
    {
        var length = value?.Trim().Length ?? 0;
        return string.IsNullOrEmpty(value) || length >= MinimumKeyLength
            ? null
            : $"{setting} is {length} characters long; it must be at least {MinimumKeyLength} random characters (for example: openssl rand -hex 32).";
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() && Problem(configuration) is { } problem)
        {
            throw new InvalidOperationException($"{environment.EnvironmentName} refuses a default secret: {problem}");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The first setting that holds a built-in or guessable secret, described without its value; null when none.</summary>
    public static string? Problem(IConfiguration configuration)
    {
        if (string.Equals(configuration["Messaging:Transport"], "RabbitMq", StringComparison.OrdinalIgnoreCase))
        {
            // Unset, the transport falls back to its built-in address (printflow/printflow); without user info the client uses guest/guest.
            var uri = configuration["Messaging:RabbitMq:Uri"];
            if (string.IsNullOrWhiteSpace(uri) || !Uri.TryCreate(uri, UriKind.Absolute, out var broker) || BuiltInBrokerUser(broker.UserInfo))
            {
                return "Messaging:RabbitMq:Uri uses the broker's built-in user (guest or printflow); give this service a broker user and password of its own.";
            }
        }

        if (string.Equals(configuration["Database:Provider"], "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var connection in configuration.GetSection("ConnectionStrings").GetChildren())
            {
                if (DatabasePassword(connection.Value) is { } password && KnownValues.Contains(password))
                {
                    return $"ConnectionStrings:{connection.Key} uses a built-in database password; give this service a database role and password of its own.";
                }
            }
        }

        return KeyProblem("Observability:MetricsToken", configuration["Observability:MetricsToken"]);
    }

    private static bool BuiltInBrokerUser(string userInfo)
    {
        if (userInfo.Length == 0)
        {
            return true;
        }

        var parts = Uri.UnescapeDataString(userInfo).Split(':', 2);
        return KnownValues.Contains(parts[0]) || parts.Length < 2 || KnownValues.Contains(parts[1]);
    }

    private static string? DatabasePassword(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return null;
        }

        var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (var name in new[] { "Password", "PWD" })
        {
            if (parsed.TryGetValue(name, out var value) && value is string password)
            {
                return password;
            }
        }

        return null;
    }
}
