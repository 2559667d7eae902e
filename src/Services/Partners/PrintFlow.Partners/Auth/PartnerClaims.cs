using System.Globalization;
using System.Security.Claims;
using PrintFlow.Accounts;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Auth;

/// <summary>What the API key handler puts on the request's user, and how endpoints read it back.</summary>
internal static class PartnerClaims
{
    public const string RequestsPerMinute = "printflow:partner:requests-per-minute";

    public static ClaimsIdentity Create(Partner partner)
    {
        var identity = AccountIdentity.Create(partner.Id.ToString(), partner.Name, partner.ContactEmail, PartnersModule.PartnerRole);
        if (partner.RequestsPerMinute is { } limit)
        {
            identity.AddClaim(new Claim(RequestsPerMinute, limit.ToString(CultureInfo.InvariantCulture)));
        }

        return identity;
    }

    public static Guid PartnerId(this ClaimsPrincipal user) => Guid.Parse(user.Id());

    public static string PartnerName(this ClaimsPrincipal user) => user.Identity?.Name ?? user.Id();
}

/// <summary>The partner the request's API key belongs to, as the authentication handler read it for this request.</summary>
internal sealed record AuthenticatedPartner(Partner Partner);
