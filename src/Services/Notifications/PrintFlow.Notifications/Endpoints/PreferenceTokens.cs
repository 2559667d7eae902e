using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace PrintFlow.Notifications.Endpoints;

/// <summary>
/// The token in every email's preferences link: the customer id, protected (encrypted and authenticated) with the
/// host's data-protection keys, so it cannot be forged or altered to reach another customer's settings.
/// </summary>
public sealed class PreferenceTokens(IDataProtectionProvider protection)
{
    /// <summary>Far longer than any token this class makes; anything longer is refused unread.</summary>
    public const int MaxLength = 1024;

    private readonly IDataProtector _protector = protection.CreateProtector("PrintFlow.Notifications.Preferences.v1");

    public string Create(string customerId) =>
        WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(customerId)));

    /// <summary>The customer id, or null when the token is missing, too long, malformed or not ours.</summary>
    public string? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > MaxLength)
        {
            return null;
        }

        try
        {
            var customerId = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token)));
            return customerId.Length is > 0 and <= 200 ? customerId : null;
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
