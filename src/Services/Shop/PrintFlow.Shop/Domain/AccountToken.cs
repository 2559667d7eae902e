using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;

namespace PrintFlow.Shop.Domain;

public enum AccountTokenPurpose
{
    VerifyEmail,
    PasswordReset,
}

/// <summary>Why a link's token was refused: each has its own sentence on the page.</summary>
public enum AccountTokenProblem
{
    Unknown,
    Expired,
    Used,
}

/// <summary>
/// A one-time token sent by email (verify the address, reset the password). Only its SHA-256 is stored, so the table
/// cannot be used to act as a customer; it expires, and using it once ends it (and every older one of the same purpose).
/// </summary>
public sealed class AccountToken
{
    /// <summary>Far longer than any token made here (43 characters); anything longer is refused unread.</summary>
    public const int MaxTokenLength = 128;

    private AccountToken()
    {
    }

    public Guid Id { get; private set; }
    public Guid CustomerId { get; private set; }
    public AccountTokenPurpose Purpose { get; private set; }
    public string TokenHash { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>A new token and its row; the token itself leaves only in the email's link.</summary>
    public static (AccountToken Row, string Token) Issue(Guid customerId, AccountTokenPurpose purpose, DateTimeOffset now, TimeSpan lifetime)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var row = new AccountToken
        {
            Id = Guid.CreateVersion7(now),
            CustomerId = customerId,
            Purpose = purpose,
            TokenHash = HashOf(token),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        return (row, token);
    }

    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    public AccountTokenProblem? ProblemAt(DateTimeOffset now) =>
        UsedAt is not null ? AccountTokenProblem.Used : now >= ExpiresAt ? AccountTokenProblem.Expired : null;

    /// <summary>Uses the token, or throws when it cannot be used (checked first with <see cref="ProblemAt"/>).</summary>
    public void Use(DateTimeOffset now)
    {
        if (ProblemAt(now) is { } problem)
        {
            throw new InvalidOperationException($"Account token {Id} cannot be used: {problem}.");
        }

        UsedAt = now;
    }

    /// <summary>A newer token of the same purpose was used, or the password changed: this one ends unused.</summary>
    public void Retire(DateTimeOffset now) => UsedAt ??= now;
}
