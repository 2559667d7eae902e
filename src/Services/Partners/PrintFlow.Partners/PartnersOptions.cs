using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Partners;

public sealed class PartnersOptions
{
    public const string Section = "Partners";

    /// <summary>Requests a partner may make per minute unless its account sets its own limit.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>
    /// Requests with a missing, unknown or revoked API key one client address may make per minute on one instance;
    /// past it the address gets 429 for the rest of the minute, before any key it sends is looked up.
    /// </summary>
    [Range(1, 1_000_000)]
    public int InvalidKeyAttemptsPerMinute { get; set; } = 30;

    /// <summary>Model files one order may carry.</summary>
    [Range(1, 100)]
    public int MaxModelsPerOrder { get; set; } = 20;

    /// <summary>Bytes of models one partner may upload in any 24 hours.</summary>
    [Range(1, long.MaxValue)]
    public long UploadBytesPerDay { get; set; } = 20L * 1024 * 1024 * 1024;

    /// <summary>Model files one partner may upload in any 24 hours.</summary>
    [Range(1, 10_000_000)]
    public int UploadModelsPerDay { get; set; } = 100_000;

    /// <summary>
    /// How long an instance remembers which partner a valid API key belongs to (zero: it asks the database on every
    /// request). Revoking a key through one instance takes effect there at once, on the others within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ApiKeyCacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
