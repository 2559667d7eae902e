using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Accounts;

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
