using System.ComponentModel.DataAnnotations;

namespace PrintFlow.Shop.Accounts;

/// <summary>How long account links live and how many account emails a person or an address may ask for.</summary>
public sealed class AccountEmailOptions
{
    public const string Section = "Shop:AccountEmails";

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan VerificationLinkLifetime { get; set; } = TimeSpan.FromDays(2);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan ResetLinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Account emails (verification or reset) one address may be sent within <see cref="Window"/>.</summary>
    [Range(1, 1000)]
    public int MaxEmailsPerAccount { get; set; } = 3;

    /// <summary>"Forgot password" requests from one client address (any email) within <see cref="Window"/>.</summary>
    [Range(1, 100_000)]
    public int MaxResetRequestsPerAddress { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether an order needs a verified email (the default). Off only where addresses are proven elsewhere, or for
    /// load and fault tests that place orders from accounts they create (bench/lib.sh).
    /// </summary>
    public bool RequireVerifiedEmail { get; set; } = true;
}
