using System.ComponentModel.DataAnnotations;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>The proxies whose X-Forwarded-For/-Proto are believed, and nothing else.</summary>
public sealed class ForwardingOptions
{
    public const string Section = "PrintFlow:Http";

    /// <summary>
    /// Addresses of reverse proxies; forwarded headers from others are ignored. Empty means loopback only
    /// (127.0.0.1 and ::1: deploy/local's nginx). A default in code would be appended to, not replaced, by configuration.
    /// </summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of reverse proxies in CIDR form (for example a Kubernetes ingress's pod network).</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>How the data-protection keys (which sign and encrypt cookies and form tokens) are kept at rest.</summary>
public sealed class KeyProtectionOptions
{
    public const string Section = "PrintFlow:DataProtection";

    /// <summary>A PKCS#12 (.pfx) certificate with its private key; keys are encrypted to it. Required in Production.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }
}
