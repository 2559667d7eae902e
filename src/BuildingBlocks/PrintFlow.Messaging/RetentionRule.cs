using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.Messaging;

/// <summary>
/// A service table of its own that <see cref="MessageRetention{TDbContext}"/> prunes beside the outbox and inbox, on the
/// same interval and in batches of <see cref="MessagingOptions.RetentionBatchSize"/>, so every table that grows with
/// traffic has one place that keeps it bounded.
/// </summary>
public interface IRetentionRule<in TDbContext> where TDbContext : ServiceDbContext
{
    /// <summary>The table's name, for the log.</summary>
    string Table { get; }

    /// <summary>Deletes at most <paramref name="batch"/> rows past their retention at <paramref name="now"/>; returns how many went.</summary>
    Task<int> DeleteBatchAsync(TDbContext db, DateTimeOffset now, int batch, CancellationToken cancellationToken);
}

public static class RetentionRuleServiceCollectionExtensions
{
    public static IServiceCollection AddRetentionRule<TDbContext, TRule>(this IServiceCollection services)
        where TDbContext : ServiceDbContext
        where TRule : class, IRetentionRule<TDbContext> =>
        services.AddSingleton<IRetentionRule<TDbContext>, TRule>();
}
