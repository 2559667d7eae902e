using Microsoft.EntityFrameworkCore;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Data;

/// <summary>
/// Queries Partners runs for nearly every message, compiled once: a LINQ query is looked up in EF's query cache on
/// every call, which means walking and hashing its expression tree first (bench/queries.sh measures both).
/// </summary>
internal static class PartnerQueries
{
    /// <summary>A partner's order with its history, tracked, or null.</summary>
    public static readonly Func<PartnersDbContext, Guid, CancellationToken, Task<PartnerOrder?>> OrderById =
        EF.CompileAsyncQuery((PartnersDbContext db, Guid orderId, CancellationToken _) => db.Orders.FirstOrDefault(o => o.Id == orderId));
}
