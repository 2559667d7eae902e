namespace PrintFlow.Crm.Domain;

/// <summary>A sales manager account; the email is stored in lower case.</summary>
public sealed class SalesManager
{
    private SalesManager()
    {
    }

    public Guid Id { get; private set; }
    public string Email { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";

    public static SalesManager Create(string email, string displayName, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        Email = NormalizeEmail(email),
        DisplayName = displayName,
    };

    public void SetPasswordHash(string hash) => PasswordHash = hash;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
