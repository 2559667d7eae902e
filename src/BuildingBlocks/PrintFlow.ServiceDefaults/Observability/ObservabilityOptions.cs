using System.ComponentModel.DataAnnotations;

namespace PrintFlow.ServiceDefaults.Observability;

public sealed class ObservabilityOptions
{
    public const string Section = "Observability";
    public const string TraceIdPlaceholder = "{traceId}";

    /// <summary>
    /// Where a trace can be looked at, with <c>{traceId}</c> for the id (for example Jaeger's
    /// <c>http://localhost:16686/trace/{traceId}</c>). Unset: pages show trace ids as text only.
    /// </summary>
    [RegularExpression(@"^https?://\S*\{traceId\}\S*$", ErrorMessage = "Observability:TraceUrlTemplate must be an http(s) URL containing {traceId}.")]
    public string? TraceUrlTemplate { get; set; }

    /// <summary>
    /// The bearer token Prometheus presents to <c>/metrics</c> (Prometheus: <c>authorization.credentials_file</c>).
    /// Unset: <c>/metrics</c> is open in Development and not served in any other environment.
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>The link to a trace, or null when no trace UI is configured or the id is missing.</summary>
    public string? TraceUrl(string? traceId) =>
        string.IsNullOrEmpty(TraceUrlTemplate) || string.IsNullOrEmpty(traceId)
            ? null
            : TraceUrlTemplate.Replace(TraceIdPlaceholder, Uri.EscapeDataString(traceId), StringComparison.Ordinal);
}
