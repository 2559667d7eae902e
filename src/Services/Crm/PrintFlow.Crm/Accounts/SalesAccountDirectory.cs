using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;

namespace PrintFlow.Crm.Accounts;

/// <summary>Answers sign-ins for sales managers.</summary>
internal sealed class SalesAccountDirectory(CrmDbContext db, IPasswordHasher<SalesManager> hasher) : IAccountDirectory
{
    public const string Name = "crm";

    public string Owner => Name;

    public async Task<ClaimsIdentity?> ValidateAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = SalesManager.NormalizeEmail(email);
        var manager = await db.SalesManagers.AsNoTracking().SingleOrDefaultAsync(m => m.Email == normalized, cancellationToken);
        if (manager is null)
        {
            DummyPassword.Verify(hasher, password);
            return null;
        }

        if (hasher.VerifyHashedPassword(manager, manager.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            return null;
        }

        return AccountIdentity.Create(manager.Id.ToString(), manager.DisplayName, manager.Email, Roles.Sales);
    }
}
