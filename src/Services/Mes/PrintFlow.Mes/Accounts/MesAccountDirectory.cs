using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Accounts;

/// <summary>Signs in the factory floor's operators and supervisors.</summary>
public sealed class MesAccountDirectory(MesDbContext db, IPasswordHasher<MesAccount> hasher) : IAccountDirectory
{
    public const string Name = "mes";

    public string Owner => Name;

    public async Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = email.Trim().ToLowerInvariant();
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Email == normalized, cancellationToken);
        if (account is null)
        {
            DummyPassword.Verify(hasher, password);
            return null;
        }

        if (hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            return null;
        }

        return AccountIdentity.Create(account.Id.ToString(), account.Name, account.Email, account.Role);
    }
}
