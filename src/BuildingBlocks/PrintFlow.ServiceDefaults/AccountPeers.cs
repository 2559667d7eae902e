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

namespace PrintFlow.ServiceDefaults;

/// <summary>
/// Sign-in when the services run as separate processes. Accounts stay with the service that owns them (Shop:
/// customers, MES: operators, CRM: sales), so the process that serves <c>/login</c> asks its peers over an internal
/// endpoint that only answers callers holding the shared internal key. In the embedded host every directory is
/// local and none of this is configured.
/// </summary>
public sealed class AccountPeerOptions
{
    public const string Section = "PrintFlow:Accounts";

    /// <summary>Base URLs of the processes whose account directories this process may ask (e.g. MES and CRM).</summary>
    public string[] Peers { get; set; } = [];

    /// <summary>The secret peers present; the internal endpoint exists only when it is set.</summary>
    public string? InternalKey { get; set; }
}

public static class AccountPeers
{
    public const string KeyHeader = "X-PrintFlow-Internal-Key";
    private const string ValidatePath = "/internal/accounts/validate";

    public static IServiceCollection AddAccountPeers(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AccountPeerOptions.Section).Get<AccountPeerOptions>() ?? new AccountPeerOptions();
        services.AddSingleton(options);
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
            app.MapPost(ValidatePath, ValidateAsync).ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<Results<Ok<AccountClaims>, NotFound, UnauthorizedHttpResult>> ValidateAsync(
        Credentials credentials,
        HttpContext http,
        AccountPeerOptions options,
        IEnumerable<IAccountDirectory> directories,
        CancellationToken cancellationToken)
    {
        var presented = Encoding.UTF8.GetBytes(http.Request.Headers[KeyHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(options.InternalKey!)))
        {
            return TypedResults.Unauthorized();
        }

        // Only this process's own accounts: a peer never forwards, so two peers cannot ask each other in a loop.
        foreach (var directory in directories.Where(d => d is not RemoteAccountDirectory))
        {
            if (await directory.ValidateAsync(credentials.Email, credentials.Password, cancellationToken) is { } identity)
            {
                return TypedResults.Ok(new AccountClaims([.. identity.Claims.Select(c => new AccountClaim(c.Type, c.Value))]));
            }
        }

        return TypedResults.NotFound();
    }

    internal sealed record Credentials(string Email, string Password);

    internal sealed record AccountClaim(string Type, string Value);

    internal sealed record AccountClaims(AccountClaim[] Claims);

    internal sealed class RemoteAccountDirectory(Uri peer, string key, IHttpClientFactory clients, ILogger<RemoteAccountDirectory> logger)
        : IAccountDirectory
    {
        public async Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(peer, ValidatePath.TrimStart('/')))
            {
                Content = JsonContent.Create(new Credentials(email, password)),
            };
            request.Headers.Add(KeyHeader, key);
            try
            {
                using var response = await clients.CreateClient(nameof(RemoteAccountDirectory)).SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return null;
                }

                var claims = await response.Content.ReadFromJsonAsync<AccountClaims>(cancellationToken);
                return claims is null
                    ? null
                    : new ClaimsIdentity(claims.Claims.Select(c => new Claim(c.Type, c.Value)), AccountIdentity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
            }
            catch (HttpRequestException exception)
            {
                // A peer that is down means its accounts cannot sign in right now; the others still can.
                logger.LogWarning("Account peer {Peer} did not answer: {Error}", peer, exception.Message);
                return null;
            }
        }
    }
}
