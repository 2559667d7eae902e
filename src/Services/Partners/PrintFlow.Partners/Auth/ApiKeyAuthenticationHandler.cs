using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Auth;

/// <summary>
/// Authenticates a partner by the <c>X-Api-Key</c> header: the key is hashed and looked up among the active keys
/// (remembered for a while, <see cref="ApiKeyCache"/>).
/// A challenge answers 401 problem details saying whether the key was missing or not valid.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PartnersDbContext db,
    ApiKeyCache keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const int MaxKeyLength = 200;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[HeaderName].ToString().Trim();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length > MaxKeyLength)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var hash = PartnerApiKey.HashOf(key);
        var partner = await keys.GetAsync(hash, () => PartnerQueries.PartnerByKeyHash.For(db)(db, hash, Context.RequestAborted));
        if (partner is null)
        {
            Logger.LogInformation("Rejected an unknown or revoked API key {KeyHint}", key.Length > 8 ? key[..8] : "(short)");
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        Context.Features.Set(new AuthenticatedPartner(partner)); // the endpoints need not read the partner again
        var principal = new ClaimsPrincipal(PartnerClaims.Create(partner));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        var problem = string.IsNullOrWhiteSpace(Request.Headers[HeaderName])
            ? Problems.Of(StatusCodes.Status401Unauthorized, "auth.api-key-missing",
                $"Send your partner API key in the {HeaderName} header.")
            : Problems.Of(StatusCodes.Status401Unauthorized, "auth.api-key-invalid",
                "The API key is unknown or has been revoked; ask PrintFlow for a new key.");
        return problem.ExecuteAsync(Context);
    }
}
