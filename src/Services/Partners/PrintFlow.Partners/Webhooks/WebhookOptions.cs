using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Partners.Webhooks;

/// <summary>Partner webhooks (<c>Partners:Webhooks</c>): registration limits, delivery timeouts, retries, the SSRF allow-list.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Partners:Webhooks";

    /// <summary>Endpoints one partner may register.</summary>
    [Range(1, 100)]
    public int MaxEndpointsPerPartner { get; set; } = 5;

    /// <summary>The longest URL accepted.</summary>
    [Range(16, 8192)]
    public int MaxUrlLength { get; set; } = 2048;

    /// <summary>
    /// Host names (as written in the URL, e.g. <c>localhost</c>, <c>127.0.0.1</c>) that skip the address check and may use
    /// http in Production: for tests and local receivers only. Empty by default.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// How long a delivered webhook (its row, shown in the deliveries list) is kept before the retention job deletes it.
    /// A re-drive of an event older than this would be sent again, so it stays well above the inbox retention.
    /// Pending and parked deliveries are kept whatever their age.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Connecting to the endpoint, DNS included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>One attempt in all: connect, send, response headers and the body prefix.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes of a response body kept (and read at all) for the deliveries list.</summary>
    [Range(0, 4096)]
    public int ResponsePrefixBytes { get; set; } = 256;

    /// <summary>The first retry's wait; each further retry waits twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a delivery is retried before it is parked as failed (a redelivery request starts it again).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long the previous secret still signs deliveries after a rotation.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Deliveries in flight to one endpoint at once (its own queue: a slow endpoint only slows itself).</summary>
    [Range(1, 16)]
    public int MaxConcurrencyPerEndpoint { get; set; } = 2;

    /// <summary>Deliveries in flight on one instance at once, across endpoints.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentDeliveries { get; set; } = 64;

    /// <summary>How often the dispatcher looks for due deliveries when nothing new was committed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
