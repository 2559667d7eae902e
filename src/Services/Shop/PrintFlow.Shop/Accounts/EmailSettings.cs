using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace PrintFlow.Shop.Accounts;

/// <summary>
/// The token of the Notifications service's settings link (its PreferenceTokens: the customer id protected with the
/// keys every process shares, under the same purpose), so the account page opens the same page the emails link to.
/// </summary>
internal static class EmailSettings
{
    private const string Purpose = "PrintFlow.Notifications.Preferences.v1";

    public static string Token(IDataProtectionProvider protection, Guid customerId) =>
        WebEncoders.Base64UrlEncode(protection.CreateProtector(Purpose).Protect(Encoding.UTF8.GetBytes(customerId.ToString())));
}
