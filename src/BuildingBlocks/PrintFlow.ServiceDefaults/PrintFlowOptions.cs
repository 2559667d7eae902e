using System.ComponentModel.DataAnnotations;

namespace PrintFlow.ServiceDefaults;

public sealed class PrintFlowOptions
{
    public const string Section = "PrintFlow";

    /// <summary>Where SQLite files and the model store live; relative paths are under the content root.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest model a customer or partner may upload.</summary>
    [Range(1, long.MaxValue)]
    public long MaxModelBytes { get; set; } = 256L * 1024 * 1024;
}

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>"Sqlite" (embedded default) or "Postgres". Chosen here, at the composition root, and nowhere else.</summary>
    [Required, RegularExpression("^(Sqlite|Postgres)$")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>
    /// How long a service waits at start-up for a database server it cannot reach (not started yet, restarting)
    /// before it gives up with an error. It tries again every few seconds and logs each attempt.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
