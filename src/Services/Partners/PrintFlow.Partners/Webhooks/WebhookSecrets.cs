using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// Webhook signing secrets at rest: encrypted with the deployment's data-protection keys (shared by every process, and
/// themselves encrypted with a certificate in Production), so a copy of Partners' database alone does not let anyone
/// forge PrintFlow's signatures.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("PrintFlow.Partners.WebhookSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The HMAC key: the secret's UTF-8 bytes, exactly as the partner was shown it.</summary>
    public byte[] KeyOf(string protectedSecret) => Encoding.UTF8.GetBytes(_protector.Unprotect(protectedSecret));
}
