using Microsoft.EntityFrameworkCore;
using PrintFlow.Messaging;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Data;

/// <summary>
/// Queries Partners runs for nearly every message, compiled once: a LINQ query is looked up in EF's query cache on
/// every call, which means walking and hashing its expression tree first (bench/queries.sh measures both).
/// </summary>
internal static class PartnerQueries
{
    /// <summary>
    /// A partner's order with its history, tracked, or null: the one already tracked (a batch loaded it), else none
    /// when the batch looked for it, else read.
    /// </summary>
    public static async Task<PartnerOrder?> OrderAsync(PartnersDbContext db, Guid orderId, CancellationToken cancellationToken) =>
        await db.FindOrderRowAsync(orderId, () => OrderById.For(db)(db, orderId, cancellationToken));

    /// <summary>A partner's order with its history, tracked, or null.</summary>
    public static readonly CompiledQuery<Func<PartnersDbContext, Guid, CancellationToken, Task<PartnerOrder?>>> OrderById = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, Guid orderId, CancellationToken _) => db.Orders.FirstOrDefault(o => o.Id == orderId)));

    /// <summary>The partner's order, untracked, or null (another partner's order is not theirs to see): partners poll it.</summary>
    public static readonly CompiledQuery<Func<PartnersDbContext, Guid, Guid, CancellationToken, Task<PartnerOrder?>>> PartnersOrder = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, Guid partnerId, Guid orderId, CancellationToken _) =>
            db.Orders.AsNoTracking().FirstOrDefault(o => o.Id == orderId && o.PartnerId == partnerId)));

    /// <summary>The partner an active (not revoked) API key with this hash belongs to, or null: every API request asks.</summary>
    public static readonly CompiledQuery<Func<PartnersDbContext, string, CancellationToken, Task<Partner?>>> PartnerByKeyHash = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, string hash, CancellationToken _) => db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Join(db.Partners.AsNoTracking(), k => k.PartnerId, p => p.Id, (_, p) => p)
            .FirstOrDefault()));

    /// <summary>The partner's earlier request with this Idempotency-Key, or null: every order request that sends one asks.</summary>
    public static readonly CompiledQuery<Func<PartnersDbContext, Guid, string, CancellationToken, Task<IdempotencyRecord?>>> IdempotencyRecord = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, Guid partnerId, string key, CancellationToken _) =>
            db.IdempotencyRecords.AsNoTracking().FirstOrDefault(r => r.PartnerId == partnerId && r.Key == key)));
}
