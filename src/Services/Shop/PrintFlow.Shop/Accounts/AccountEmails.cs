using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Accounts;

/// <summary>
/// Issues the one-time links of account emails: a token row (its hash) and an <see cref="AccountEmailRequested"/> in
/// the outbox, saved together by the caller, so an email is asked for exactly when its token exists.
/// </summary>
internal sealed class AccountEmails(ShopDbContext db, IDataProtectionProvider protection, IOptions<AccountEmailOptions> options, TimeProvider clock)
{
    public const string VerifyPath = "/account/verify-email";
    public const string ResetPath = "/reset-password";

    private readonly ITimeLimitedDataProtector _links =
        protection.CreateProtector(AccountEmailRequested.LinkProtectionPurpose).ToTimeLimitedDataProtector();

    public void RequestVerification(Customer customer) =>
        Request(customer, AccountTokenPurpose.VerifyEmail, AccountEmailKind.VerifyEmail, VerifyPath, options.Value.VerificationLinkLifetime);

    public void RequestPasswordReset(Customer customer) =>
        Request(customer, AccountTokenPurpose.PasswordReset, AccountEmailKind.PasswordReset, ResetPath, options.Value.ResetLinkLifetime);

    private void Request(Customer customer, AccountTokenPurpose purpose, AccountEmailKind kind, string path, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        var (row, token) = AccountToken.Issue(customer.Id, purpose, now, lifetime);
        db.AccountTokens.Add(row);
        var link = _links.Protect($"{path}?token={Uri.EscapeDataString(token)}", row.ExpiresAt);
        db.Publish(new AccountEmailRequested(
            row.Id, customer.Id, customer.Email, customer.DisplayName, customer.Language, kind, link, row.ExpiresAt, now), clock);
    }

    /// <summary>The language a new customer reads: the page's culture, English or Russian (the company's own).</summary>
    public static string LanguageOf(CultureInfo culture) => culture.TwoLetterISOLanguageName == "en" ? "en" : "ru";
}
