using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Accounts;

/// <summary>
/// Sign-in when the services run as separate processes. Accounts stay with the service that owns them (Shop:
/// customers, MES: operators, CRM: sales), so the process that serves <c>/login</c> asks its peers over an internal
/// endpoint that only answers callers holding the shared internal key. The owner also keeps the session, so a page
/// served elsewhere asks it whether a cookie's session is still active, and a logout asks it to end it. In the
/// embedded host every directory is local and none of this is configured.
/// </summary>
public sealed class AccountPeerOptions
{
    public const string Section = "PrintFlow:Accounts";

    /// <summary>Base URLs of the processes whose account directories this process may ask (e.g. MES and CRM).</summary>
    public string[] Peers { get; set; } = [];

    /// <summary>The secret peers present; the internal endpoints exist only when it is set.</summary>
    public string? InternalKey { get; set; }
}

/// <summary>Wrong internal keys counted per client address, in this process (the endpoints are internal, never behind the public proxy).</summary>
public sealed class InternalKeyThrottle(Microsoft.Extensions.Options.IOptions<SignInThrottleOptions> options, TimeProvider clock)
{
    public SignInThrottle Throttle { get; } = new(new InMemorySignInCounterStore(), options, clock);
}

public static class AccountPeers
{
    public const string KeyHeader = "X-PrintFlow-Internal-Key";
    private const string ValidatePath = "/internal/accounts/validate";
    private const string SessionCheckPath = "/internal/accounts/sessions/check";
    private const string SessionEndPath = "/internal/accounts/sessions/end";

    public static IServiceCollection AddAccountPeers(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AccountPeerOptions.Section).Get<AccountPeerOptions>() ?? new AccountPeerOptions();
        services.AddSingleton(options);
        services.AddSingleton<InternalKeyThrottle>();
        if (ProductionSecrets.KeyProblem($"{AccountPeerOptions.Section}:InternalKey", options.InternalKey) is { } problem)
        {
            // Refused in every environment when the host starts, before anything connects.
            services.AddHostedService(_ => new StartupRefusal(problem));
        }

        if (options.Peers.Length == 0)
        {
            return services;
        }

        if (string.IsNullOrWhiteSpace(options.InternalKey))
        {
            throw new InvalidOperationException($"{AccountPeerOptions.Section}:Peers needs {AccountPeerOptions.Section}:InternalKey.");
        }

        services.AddHttpClient(nameof(RemoteAccountDirectory), c => c.Timeout = TimeSpan.FromSeconds(5));
        foreach (var peer in options.Peers)
        {
            var baseUri = new Uri(peer.TrimEnd('/') + "/");
            services.AddSingleton<IAccountDirectory>(sp => new RemoteAccountDirectory(
                baseUri, options.InternalKey!,
                sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<ILogger<RemoteAccountDirectory>>()));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapAccountPeerEndpoint(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<AccountPeerOptions>();
        if (!string.IsNullOrWhiteSpace(options.InternalKey))
        {
            var group = app.MapGroup("").AddEndpointFilter(RequireInternalKeyAsync).ExcludeFromDescription();
            group.MapPost(ValidatePath, ValidateAsync);
            group.MapPost(SessionCheckPath, CheckSessionAsync);
            group.MapPost(SessionEndPath, EndSessionAsync);
        }

        return app;
    }

    /// <summary>The shared key, compared in constant time; an address that keeps presenting wrong keys is made to wait.</summary>
    private static async ValueTask<object?> RequireInternalKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var throttle = http.RequestServices.GetRequiredService<InternalKeyThrottle>().Throttle;
        var address = throttle.InternalKey(http);
        if (await throttle.WaitAsync(http.RequestAborted, address) is { } wait)
        {
            return TooMany(http, wait);
        }

        var options = http.RequestServices.GetRequiredService<AccountPeerOptions>();
        var presented = Encoding.UTF8.GetBytes(http.Request.Headers[KeyHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(options.InternalKey!)))
        {
            return await throttle.FailedAsync(http.RequestAborted, address) is { } locked ? TooMany(http, locked) : TypedResults.Unauthorized();
        }

        return await next(context);
    }

    private static ProblemHttpResult TooMany(HttpContext http, TimeSpan wait)
    {
        SignInThrottle.SetRetryAfter(http, wait);
        return Problems.Of(StatusCodes.Status429TooManyRequests, "internal.key-throttled",
            $"Too many wrong internal keys from this address; try again in {SignInThrottle.Minutes(wait)} minute(s).");
    }

    private static async Task<Results<Ok<AccountClaims>, NotFound>> ValidateAsync(
        Credentials credentials,
        IEnumerable<IAccountDirectory> directories,
        IEnumerable<IAccountSessionStore> sessions,
        CancellationToken cancellationToken)
    {
        // Only this process's own accounts: a peer never forwards, so two peers cannot ask each other in a loop.
        foreach (var directory in directories.Where(d => d is not RemoteAccountDirectory))
        {
            if (await directory.ValidateAsync(credentials.Email, credentials.Password, cancellationToken) is { } identity)
            {
                // The owner keeps the session: the caller only carries its id in the cookie.
                await AccountSessions.AddSessionAsync(identity, sessions.Single(s => s.Owner == directory.Owner), cancellationToken);
                return TypedResults.Ok(new AccountClaims([.. identity.Claims.Select(c => new AccountClaim(c.Type, c.Value))]));
            }
        }

        return TypedResults.NotFound();
    }

    private static async Task<Results<Ok<SessionState>, NotFound>> CheckSessionAsync(
        SessionRequest request, IEnumerable<IAccountSessionStore> sessions, CancellationToken cancellationToken) =>
        sessions.FirstOrDefault(s => s.Owner == request.Owner) is { } store
            ? TypedResults.Ok(new SessionState(await store.IsActiveAsync(request.SessionId, cancellationToken)))
            : TypedResults.NotFound();

    private static async Task<Results<NoContent, NotFound>> EndSessionAsync(
        SessionRequest request, IEnumerable<IAccountSessionStore> sessions, CancellationToken cancellationToken)
    {
        if (sessions.FirstOrDefault(s => s.Owner == request.Owner) is not { } store)
        {
            return TypedResults.NotFound();
        }

        await store.EndAsync(request.SessionId, cancellationToken);
        return TypedResults.NoContent();
    }

    internal sealed record Credentials(string Email, string Password);

    internal sealed record AccountClaim(string Type, string Value);

    internal sealed record AccountClaims(AccountClaim[] Claims);

    internal sealed record SessionRequest(string Owner, Guid SessionId);

    internal sealed record SessionState(bool Active);

    internal sealed class RemoteAccountDirectory(Uri peer, string key, IHttpClientFactory clients, ILogger<RemoteAccountDirectory> logger)
        : IAccountDirectory
    {
        /// <summary>Whichever service the peer runs: its answer carries the owner claim.</summary>
        public string Owner => "";

        public async Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(ValidatePath, new Credentials(email, password), cancellationToken);
            if (response is not { IsSuccessStatusCode: true })
            {
                return null;
            }

            var claims = await response.Content.ReadFromJsonAsync<AccountClaims>(cancellationToken);
            return claims is null
                ? null
                : new ClaimsIdentity(claims.Claims.Select(c => new Claim(c.Type, c.Value)), AccountIdentity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        }

        /// <summary>True or false from the session's owner; null when this peer does not own it or did not answer.</summary>
        public async Task<bool?> IsSessionActiveAsync(string owner, Guid sessionId, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(SessionCheckPath, new SessionRequest(owner, sessionId), cancellationToken);
            return response is { IsSuccessStatusCode: true }
                ? (await response.Content.ReadFromJsonAsync<SessionState>(cancellationToken))?.Active
                : null;
        }

        /// <summary>True when this peer owns the session and ended it.</summary>
        public async Task<bool> EndSessionAsync(string owner, Guid sessionId, CancellationToken cancellationToken)
        {
            using var response = await SendAsync(SessionEndPath, new SessionRequest(owner, sessionId), cancellationToken);
            return response is { IsSuccessStatusCode: true };
        }

        private async Task<HttpResponseMessage?> SendAsync<T>(string path, T body, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer, path.TrimStart('/')))
            {
                Content = JsonContent.Create(body),
            };
            request.Headers.Add(KeyHeader, key);
            try
            {
                var response = await clients.CreateClient(nameof(RemoteAccountDirectory)).SendAsync(request, cancellationToken);
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.NotFound))
                {
                    logger.LogWarning("Account peer {Peer} answered {Status} to {Path}", peer, (int)response.StatusCode, path);
                }

                return response;
            }
            catch (HttpRequestException exception)
            {
                // A peer that is down means its accounts cannot sign in (or be checked) right now; the others still can.
                logger.LogWarning("Account peer {Peer} did not answer: {Error}", peer, exception.Message);
                return null;
            }
        }
    }
}
