using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Accounts;

/// <summary>A new partner with the one and only copy of its API key.</summary>
public sealed record CreatedPartner(Partner Partner, string ApiKey);

/// <summary>Creates partners and issues or revokes their API keys.</summary>
public sealed class PartnerAccounts(PartnersDbContext db, ApiKeyCache keys, TimeProvider clock)
{
    public async Task<CreatedPartner> CreateAsync(
        string name, string contactEmail, decimal? autoConfirmBelow, int? requestsPerMinute, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var partner = new Partner(Guid.CreateVersion7(now), name, contactEmail, autoConfirmBelow, requestsPerMinute, now);
        db.Partners.Add(partner);
        db.ApiKeys.Add(PartnerApiKey.Issue(partner.Id, now, out var key));
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedPartner(partner, key);
    }

    /// <summary>A further key for a partner (for rotation); the old one keeps working until revoked.</summary>
    public async Task<string> IssueKeyAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        if (!await db.Partners.AnyAsync(p => p.Id == partnerId, cancellationToken))
        {
            throw new InvalidOperationException($"Partner {partnerId} does not exist.");
        }

        db.ApiKeys.Add(PartnerApiKey.Issue(partnerId, clock.GetUtcNow(), out var key));
        await db.SaveChangesAsync(cancellationToken);
        return key;
    }

    /// <returns>false when no active key matches.</returns>
    public async Task<bool> RevokeKeyAsync(string key, CancellationToken cancellationToken)
    {
        var hash = PartnerApiKey.HashOf(key);
        var stored = await db.ApiKeys.FirstOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, cancellationToken);
        if (stored is null)
        {
            return false;
        }

        stored.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        keys.Forget(hash);
        return true;
    }

    /// <summary>Creates the partner with a known key unless it exists (the Development demo partner).</summary>
    internal async Task EnsureAsync(
        Guid id, string name, string contactEmail, string key, decimal? autoConfirmBelow, int? requestsPerMinute, CancellationToken cancellationToken)
    {
        await DemoSeed.SeedOnceAsync(db, ct => db.Partners.AnyAsync(p => p.Id == id, ct), () =>
        {
            var now = clock.GetUtcNow();
            db.Partners.Add(new Partner(id, name, contactEmail, autoConfirmBelow, requestsPerMinute, now));
            db.ApiKeys.Add(PartnerApiKey.FromKnown(id, key, now));
        }, cancellationToken);
    }
}
