using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace PrintFlow.Messaging;

/// <summary>
/// A query compiled once per EF model (<c>EF.CompileAsyncQuery</c>), for a query a service runs for nearly every
/// message or request: a LINQ query is looked up in EF's query cache on every call, which means walking and hashing its
/// expression tree first (bench/queries.sh measures both). A compiled query is bound to the first model it runs with,
/// and a process may hold several models of one context (the tests run the SQLite default and PostgreSQL side by side),
/// so each model gets its own; a deployed service has one.
/// </summary>
/// <example><c>OrderById.For(db)(db, orderId, cancellationToken)</c></example>
public sealed class CompiledQuery<TDelegate>(Func<TDelegate> compile) where TDelegate : class
{
    private readonly ConditionalWeakTable<IModel, TDelegate> _byModel = [];

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TDelegate For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
