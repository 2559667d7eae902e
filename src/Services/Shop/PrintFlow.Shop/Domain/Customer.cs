namespace PrintFlow.Shop.Domain;

/// <summary>A shop customer account. The email is stored normalized (trimmed, lower case) so sign-in ignores case.</summary>
public sealed class Customer
{
    private Customer()
    {
    }

    public Guid Id { get; private set; }
    public string Email { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the customer proved the address is theirs; null until then (accounts made before verification existed count as verified).</summary>
    public DateTimeOffset? EmailVerifiedAt { get; private set; }

    /// <summary>"ru" or "en": the language the customer registered in, for account emails.</summary>
    public string Language { get; private set; } = "ru";

    public bool IsEmailVerified => EmailVerifiedAt is not null;

    public static Customer Register(string email, string displayName, DateTimeOffset now, string language = "ru") => new()
    {
        Id = Guid.CreateVersion7(now),
        Email = NormalizeEmail(email),
        DisplayName = displayName.Trim(),
        CreatedAt = now,
        Language = language == "en" ? "en" : "ru",
    };

    public void SetPasswordHash(string hash) => PasswordHash = hash;

    /// <summary>Verifying twice keeps the first time.</summary>
    public void VerifyEmail(DateTimeOffset now) => EmailVerifiedAt ??= now;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
