using System.ComponentModel.DataAnnotations;

namespace PrintFlow.ServiceDefaults.Security;

/// <summary>How many failed sign-ins and registrations a person or an address gets before being made to wait.</summary>
public sealed class SignInThrottleOptions
{
    public const string Section = "PrintFlow:SignIn";

    /// <summary>Failed sign-ins to one email within <see cref="Window"/> before that email is locked until the window ends.</summary>
    [Range(1, 1000)]
    public int MaxFailuresPerAccount { get; set; } = 5;

    /// <summary>Failed sign-ins from one client address (any email) within <see cref="Window"/>.</summary>
    [Range(1, 100_000)]
    public int MaxFailuresPerAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Registration attempts (successful or not) from one client address within <see cref="RegistrationWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int MaxRegistrationsPerAddress { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RegistrationWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wrong internal keys from one client address within <see cref="Window"/> before the internal endpoints refuse it.</summary>
    [Range(1, 1000)]
    public int MaxInternalKeyFailuresPerAddress { get; set; } = 10;
}

/// <summary>Sign-in sessions: how long a cookie lives and how often it is checked against the owner's session row.</summary>
public sealed class AccountSessionOptions
{
    public const string Section = "PrintFlow:Sessions";

    /// <summary>A cookie unused this long expires; any request in its second half renews it (sliding).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in however active it is.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a process trusts a session it found active before asking its owner again: the most a copied cookie
    /// keeps working in another process after logout (the process that served the logout forgets at once).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan CheckCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}

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
