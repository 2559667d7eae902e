using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Accounts;

public static class Roles
{
    public const string Customer = "customer";
    public const string Operator = "operator";
    public const string Supervisor = "supervisor";
    public const string Sales = "sales";
    public const string Staff = Operator + "," + Supervisor + "," + Sales;
}

/// <summary>
/// A service that owns accounts (Shop: customers, MES: operators, CRM: sales managers) answers sign-ins for them.
/// The sign-in endpoint asks each directory of the process in turn; no service reads another's account table.
/// </summary>
public interface IAccountDirectory
{
    /// <summary>The service whose accounts these are ("shop", "mes", "crm"); it keeps their sessions too.</summary>
    string Owner { get; }

    /// <summary>
    /// The account's identity when the password is right, else null. An unknown email costs a password check too
    /// (against a dummy hash of the same cost), so the time taken does not tell which emails have accounts.
    /// </summary>
    Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken);
}

/// <summary>An account that exists in Development only; the host prints them at start-up.</summary>
public sealed record DemoAccount(string Role, string Login, string Secret, string Where);

public sealed class DemoAccounts
{
    private readonly List<DemoAccount> _accounts = [];

    public IReadOnlyList<DemoAccount> All
    {
        get { lock (_accounts) { return [.. _accounts]; } }
    }

    public void Add(DemoAccount account)
    {
        lock (_accounts) { _accounts.Add(account); }
    }
}

public static class AccountIdentity
{
    public const string AuthenticationType = "PrintFlow";

    public static ClaimsIdentity Create(string id, string name, string email, params string[] roles)
    {
        var identity = new ClaimsIdentity(AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, id));
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(ClaimTypes.Email, email));
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return identity;
    }

    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The user is not signed in.");
}

/// <summary>Development seeding that tolerates several instances of a service starting at once.</summary>
public static class DemoSeed
{
    /// <summary>The advisory lock (PostgreSQL) that instances of one service take to seed their database one at a time.</summary>
    private const long SeedLock = 0x7072_696e_7466_6c01; // "printfl" + 1

    /// <summary>
    /// Adds demo rows unless they are there. Several instances of a service may start at once on one database: the
    /// check and the insert run in one transaction under a lock (an advisory lock on PostgreSQL; SQLite's write lock),
    /// so a sibling that seeded first is seen, not raced into a duplicate key.
    /// </summary>
    public static async Task SeedOnceAsync(
        Microsoft.EntityFrameworkCore.DbContext db,
        Func<CancellationToken, Task<bool>> seeded,
        Action add,
        CancellationToken cancellationToken)
    {
        if (await seeded(cancellationToken))
        {
            return; // every start after the first: no transaction, no lock
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (DatabaseProviders.Of(db) == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SeedLock})", cancellationToken);
        }

        if (await seeded(cancellationToken))
        {
            return;
        }

        add();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

/// <summary>
/// A password check for an email that has no account: the same hasher verifies against a hash of its own making (same
/// algorithm and cost), so an unknown email takes as long as a known one with a wrong password.
/// </summary>
public static class DummyPassword
{
    public static void Verify<TUser>(Microsoft.AspNetCore.Identity.IPasswordHasher<TUser> hasher, string password) where TUser : class =>
        hasher.VerifyHashedPassword(null!, Hash<TUser>.For(hasher), password);

    private static class Hash<TUser> where TUser : class
    {
        private static string? _value;

        // Made once per process (a race makes it twice, harmlessly); the password is random and never known.
        public static string For(Microsoft.AspNetCore.Identity.IPasswordHasher<TUser> hasher) =>
            _value ??= hasher.HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
    }
}
