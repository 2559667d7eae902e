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

    public static Customer Register(string email, string displayName, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Email = NormalizeEmail(email),
        DisplayName = displayName.Trim(),
        CreatedAt = now,
    };

    public void SetPasswordHash(string hash) => PasswordHash = hash;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
