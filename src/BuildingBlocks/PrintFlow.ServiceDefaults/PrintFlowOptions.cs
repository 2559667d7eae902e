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

    /// <summary>
    /// The largest request body any endpoint takes; the upload endpoints raise their own limit to what an order may
    /// carry. Bounded so that a client cannot stream gigabytes at an endpoint that expects a small form.
    /// </summary>
    [Range(64 * 1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long a model that no order holds stays in the store before the sweeper removes it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ModelRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the sweeper looks for unheld models and stale temporary files.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ModelSweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an hour's upload counts (table upload_usage) are kept; the quota sums only the last 24 hours, so older
    /// rows serve no one. The messaging retention job deletes them.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan UploadUsageRetention { get; set; } = TimeSpan.FromDays(2);
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
