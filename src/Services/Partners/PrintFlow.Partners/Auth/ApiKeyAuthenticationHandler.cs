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
/// (remembered for a while, <see cref="ApiKeyCache"/>). A missing or wrong key counts against the client's address
/// (<see cref="ApiKeyAttempts"/>); an address past its allowance is refused before its key is hashed.
/// A challenge answers 401 problem details saying whether the key was missing or not valid, or 429 for such an address.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PartnersDbContext db,
    ApiKeyCache keys,
    ApiKeyAttempts attempts) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const int MaxKeyLength = 200;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var address = Context.Connection.RemoteIpAddress;
        if (attempts.RetryAfter(address) is { } wait)
        {
            Context.Features.Set(new TooManyBadKeys(wait));
            return AuthenticateResult.Fail("Too many requests with a missing or invalid API key from this address.");
        }

        var key = Request.Headers[HeaderName].ToString().Trim();
        if (key.Length == 0)
        {
            attempts.Failed(address);
            return AuthenticateResult.NoResult();
        }

        if (key.Length > MaxKeyLength)
        {
            attempts.Failed(address);
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var hash = PartnerApiKey.HashOf(key);
        var partner = await keys.GetAsync(hash, () => PartnerQueries.PartnerByKeyHash.For(db)(db, hash, Context.RequestAborted));
        if (partner is null)
        {
            attempts.Failed(address);
            // A fingerprint of the key's hash tells repeated attempts apart; no character of the key itself is logged.
            Logger.LogInformation("Rejected an unknown or revoked API key (fingerprint {KeyFingerprint})", hash[..8]);
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        Context.Features.Set(new AuthenticatedPartner(partner)); // the endpoints need not read the partner again
        var principal = new ClaimsPrincipal(PartnerClaims.Create(partner));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<TooManyBadKeys>() is { } tooMany)
        {
            return PartnerRateLimiting.RejectAsync(Context, tooMany.RetryAfter, seconds =>
                $"Too many requests with a missing or invalid API key came from your address; try again in {seconds} seconds.");
        }

        Response.Headers.WWWAuthenticate = SchemeName;
        var problem = string.IsNullOrWhiteSpace(Request.Headers[HeaderName])
            ? Problems.Of(StatusCodes.Status401Unauthorized, "auth.api-key-missing",
                PartnersStrings.Get("Problem.auth.api-key-missing", HeaderName))
            : Problems.Of(StatusCodes.Status401Unauthorized, "auth.api-key-invalid",
                PartnersStrings.Get("Problem.auth.api-key-invalid"));
        return problem.ExecuteAsync(Context);
    }
}

/// <summary>Set on a request from an address that used up its attempts with bad keys: the challenge answers 429.</summary>
internal sealed record TooManyBadKeys(TimeSpan RetryAfter);
