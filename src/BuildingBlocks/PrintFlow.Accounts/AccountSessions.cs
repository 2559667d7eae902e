using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Accounts;

/// <summary>
/// A signed-in session, kept by the service that owns the account (Shop, MES or CRM). The cookie carries its id and
/// owner; a cookie whose session has ended (logout) or expired is refused, even if the cookie itself is still valid.
/// </summary>
[MigrationStream("account_sessions")]
public sealed class AccountSession
{
    public Guid Id { get; set; }

    public string AccountId { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<AccountSession>(session =>
    {
        session.ToTable("account_sessions");
        session.HasKey(s => s.Id);
        session.Property(s => s.AccountId).HasMaxLength(64);
        session.HasIndex(s => s.ExpiresAt); // pruning
    });
}

/// <summary>The sessions of one account owner ("shop", "mes", "crm") in its own database.</summary>
public interface IAccountSessionStore
{
    string Owner { get; }

    Task<Guid> StartAsync(string accountId, CancellationToken cancellationToken);

    Task<bool> IsActiveAsync(Guid sessionId, CancellationToken cancellationToken);

    Task EndAsync(Guid sessionId, CancellationToken cancellationToken);

    /// <summary>Ends every active session of the account except <paramref name="except"/> (a new password signs the others out); returns their ids.</summary>
    Task<IReadOnlyList<Guid>> EndAllAsync(string accountId, Guid? except, CancellationToken cancellationToken);
}

internal sealed class AccountSessionStore<TDb>(TDb db, string owner, TimeProvider clock, IOptions<AccountSessionOptions> options)
    : IAccountSessionStore where TDb : DbContext
{
    private DbSet<AccountSession> Sessions => db.Set<AccountSession>();

    public string Owner => owner;

    public async Task<Guid> StartAsync(string accountId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Sign-ins are rare: each one clears rows that ended or expired a day ago, so the table stays small.
        var old = now - TimeSpan.FromDays(1);
        await Sessions.Where(s => s.ExpiresAt < old || s.EndedAt < old).ExecuteDeleteAsync(cancellationToken);
        var session = new AccountSession
        {
            Id = Guid.NewGuid(), // random, not time-ordered: nothing about one session tells another's id
            AccountId = accountId,
            StartedAt = now,
            ExpiresAt = now + options.Value.AbsoluteLifetime,
        };
        Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(session).State = EntityState.Detached;
        return session.Id;
    }

    public Task<bool> IsActiveAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return Sessions.AsNoTracking().AnyAsync(s => s.Id == sessionId && s.EndedAt == null && s.ExpiresAt > now, cancellationToken);
    }

    public Task EndAsync(Guid sessionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return Sessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> EndAllAsync(string accountId, Guid? except, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var active = Sessions.Where(s => s.AccountId == accountId && s.EndedAt == null && s.ExpiresAt > now && s.Id != except);
        var ids = await active.Select(s => s.Id).ToListAsync(cancellationToken);
        await active.ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        return ids;
    }
}

/// <summary>Session claims, sign-in with a session, and the cookie check that refuses ended sessions.</summary>
public static class AccountSessions
{
    public const string SessionClaim = "printflow:sid";
    public const string OwnerClaim = "printflow:owner";

    public static IServiceCollection AddAccountSessions<TDb>(this IServiceCollection services, string owner) where TDb : DbContext
    {
        services.AddScoped<IAccountSessionStore>(sp => new AccountSessionStore<TDb>(
            sp.GetRequiredService<TDb>(), owner, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AccountSessionOptions>>()));
        return services;
    }

    public static ModelBuilder AddAccountSessions(this ModelBuilder modelBuilder)
    {
        AccountSession.Configure(modelBuilder);
        return modelBuilder;
    }

    /// <summary>Starts a session with the owner's local store and adds its claims to <paramref name="identity"/>.</summary>
    public static async Task AddSessionAsync(ClaimsIdentity identity, IAccountSessionStore store, CancellationToken cancellationToken)
    {
        var id = await store.StartAsync(identity.FindFirst(ClaimTypes.NameIdentifier)!.Value, cancellationToken);
        identity.AddClaim(new Claim(SessionClaim, id.ToString("N")));
        identity.AddClaim(new Claim(OwnerClaim, store.Owner));
    }

    /// <summary>Signs in an account of this process's <paramref name="owner"/> with a new session.</summary>
    public static async Task SignInAsync(HttpContext http, ClaimsIdentity identity, string owner, CancellationToken cancellationToken)
    {
        var store = http.RequestServices.GetServices<IAccountSessionStore>().Single(s => s.Owner == owner);
        await AddSessionAsync(identity, store, cancellationToken);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
    }

    public static (Guid Id, string Owner)? SessionOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(SessionClaim), out var id) && user.FindFirstValue(OwnerClaim) is { Length: > 0 } owner
            ? (id, owner)
            : null;
}

/// <summary>
/// Checks on every signed-in request that the cookie's session is still active with its owner: locally when this
/// process owns the account, else through the owner's internal endpoint; an active answer is trusted for
/// <see cref="AccountSessionOptions.CheckCacheDuration"/>.
/// </summary>
public sealed class SessionValidator(IMemoryCache cache, IOptions<AccountSessionOptions> options, ILogger<SessionValidator> logger)
{
    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null || AccountSessions.SessionOf(context.Principal) is not { } session
            || !await IsActiveAsync(context.HttpContext, session.Id, session.Owner))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    public async Task EndAsync(HttpContext http, ClaimsPrincipal user)
    {
        if (AccountSessions.SessionOf(user) is not { } session)
        {
            return;
        }

        cache.Remove(CacheKey(session.Id));
        var cancellationToken = http.RequestAborted;
        if (http.RequestServices.GetServices<IAccountSessionStore>().FirstOrDefault(s => s.Owner == session.Owner) is { } store)
        {
            await store.EndAsync(session.Id, cancellationToken);
            return;
        }

        foreach (var peer in http.RequestServices.GetServices<IAccountDirectory>().OfType<AccountPeers.RemoteAccountDirectory>())
        {
            if (await peer.EndSessionAsync(session.Owner, session.Id, cancellationToken))
            {
                return;
            }
        }

        logger.LogWarning("No peer ended session of owner {Owner}; it stays valid until it expires.", session.Owner);
    }

    /// <summary>Sessions ended without their cookie at hand (another browser's): this process stops trusting them at once.</summary>
    public void Forget(IEnumerable<Guid> sessionIds)
    {
        foreach (var id in sessionIds)
        {
            cache.Remove(CacheKey(id));
        }
    }

    private async Task<bool> IsActiveAsync(HttpContext http, Guid sessionId, string owner)
    {
        var key = CacheKey(sessionId);
        if (cache.TryGetValue(key, out _))
        {
            return true;
        }

        var cancellationToken = http.RequestAborted;
        bool active;
        if (http.RequestServices.GetServices<IAccountSessionStore>().FirstOrDefault(s => s.Owner == owner) is { } store)
        {
            active = await store.IsActiveAsync(sessionId, cancellationToken);
        }
        else
        {
            active = false; // no owner to ask: refused, never assumed
            foreach (var peer in http.RequestServices.GetServices<IAccountDirectory>().OfType<AccountPeers.RemoteAccountDirectory>())
            {
                if (await peer.IsSessionActiveAsync(owner, sessionId, cancellationToken) is { } answer)
                {
                    active = answer;
                    break;
                }
            }
        }

        if (active && options.Value.CheckCacheDuration > TimeSpan.Zero)
        {
            cache.Set(key, true, options.Value.CheckCacheDuration);
        }

        return active;
    }

    private static string CacheKey(Guid sessionId) => "printflow:session:" + sessionId.ToString("N");
}
