using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;

namespace PrintFlow.ServiceDefaults.Uploads;

/// <summary>What one owner (customer or partner) uploaded in one clock hour: the rolling 24-hour quota sums these.</summary>
[MigrationStream("upload_usage")]
public sealed class UploadUsage
{
    public string Owner { get; set; } = "";

    /// <summary>Hours since the Unix epoch (UTC), so both providers compare plain integers.</summary>
    public long Hour { get; set; }

    public long Bytes { get; set; }
    public int Models { get; set; }
}

/// <summary>How much an owner may still upload, and when the oldest counted upload leaves the 24-hour window.</summary>
public sealed record UploadAllowance(long BytesPerDay, int ModelsPerDay, long BytesUsed, int ModelsUsed, DateTimeOffset ResetsAt)
{
    public long BytesLeft => Math.Max(0, BytesPerDay - BytesUsed);
    public int ModelsLeft => Math.Max(0, ModelsPerDay - ModelsUsed);
    public bool Exhausted => BytesLeft == 0 || ModelsLeft == 0;

    /// <summary>True when <paramref name="bytes"/> in <paramref name="models"/> more models fit.</summary>
    public bool Allows(long bytes, int models) => bytes <= BytesLeft && models <= ModelsLeft;

    /// <summary>Seconds until room frees up, for a Retry-After header.</summary>
    public long RetryAfterSeconds(DateTimeOffset now) => Math.Max(1, (long)Math.Ceiling((ResetsAt - now).TotalSeconds));

    public string Sentence() => UploadQuotas.Sentence(BytesPerDay, ModelsPerDay, ResetsAt);
}

/// <summary>Upload quotas counted in the service's own database (table upload_usage), one row per owner and hour.</summary>
public static class UploadQuotas
{
    public const string ExceededCode = "upload.quota-exceeded";
    private const int WindowHours = 24;

    public static void MapUploadUsage(this ModelBuilder modelBuilder) =>
        modelBuilder.Entity<UploadUsage>(usage =>
        {
            usage.ToTable("upload_usage");
            usage.HasKey(u => new { u.Owner, u.Hour });
            usage.Property(u => u.Owner).HasMaxLength(64);
        });

    private sealed record HourUsage(long Hour, long Bytes, int Models);

    // Every upload asks: compiled once per model, as the services' hot queries are (PrintFlow.Messaging.CompiledQuery).
    private static readonly CompiledQuery<Func<DbContext, string, long, IAsyncEnumerable<HourUsage>>> UsageAfter = new(() =>
        EF.CompileAsyncQuery((DbContext db, string owner, long after) => db.Set<UploadUsage>().AsNoTracking()
            .Where(u => u.Owner == owner && u.Hour > after)
            .Select(u => new HourUsage(u.Hour, u.Bytes, u.Models))));

    public static async Task<UploadAllowance> AllowanceAsync(
        DbContext db, string owner, long bytesPerDay, int modelsPerDay, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = new List<HourUsage>();
        await foreach (var row in UsageAfter.For(db)(db, owner, HourOf(now) - WindowHours).WithCancellation(cancellationToken))
        {
            rows.Add(row);
        }

        var resetsAt = rows.Count == 0 ? now : DateTimeOffset.FromUnixTimeSeconds((rows.Min(r => r.Hour) + WindowHours) * 3600);
        return new UploadAllowance(bytesPerDay, modelsPerDay, rows.Sum(r => r.Bytes), rows.Sum(r => r.Models), resetsAt);
    }

    /// <summary>Counts an upload; one statement, atomic under concurrent uploads of the same owner.</summary>
    public static Task RecordAsync(DbContext db, string owner, long bytes, int models, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO upload_usage ("Owner", "Hour", "Bytes", "Models") VALUES ({owner}, {HourOf(now)}, {bytes}, {models})
            ON CONFLICT ("Owner", "Hour") DO UPDATE SET "Bytes" = upload_usage."Bytes" + excluded."Bytes", "Models" = upload_usage."Models" + excluded."Models"
            """,
            cancellationToken);

    /// <summary>The limit and when it resets, in the reader's language.</summary>
    public static string Sentence(long bytesPerDay, int modelsPerDay, DateTimeOffset resetsAt) =>
        Localization.Texts.Get<SharedStrings>("Upload.QuotaExceeded", modelsPerDay, UploadSizes.Format(bytesPerDay), Localization.Formats.Utc(resetsAt));

    /// <summary>Has the messaging retention job delete the service's upload counts older than <see cref="PrintFlowOptions.UploadUsageRetention"/>.</summary>
    public static IServiceCollection AddUploadUsageRetention<TDbContext>(this IServiceCollection services) where TDbContext : ServiceDbContext =>
        services.AddRetentionRule<TDbContext, UploadUsageRetention<TDbContext>>();

    internal static long HourOf(DateTimeOffset time) => time.ToUnixTimeSeconds() / 3600;
}

/// <summary>Deletes upload_usage rows of hours older than <see cref="PrintFlowOptions.UploadUsageRetention"/>.</summary>
public sealed class UploadUsageRetention<TDbContext>(IOptionsMonitor<PrintFlowOptions> options) : IRetentionRule<TDbContext>
    where TDbContext : ServiceDbContext
{
    public string Table => "upload_usage";

    public Task<int> DeleteBatchAsync(TDbContext db, DateTimeOffset now, int batch, CancellationToken cancellationToken)
    {
        var before = UploadQuotas.HourOf(now - options.CurrentValue.UploadUsageRetention);
        return db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlAsync($"""
                DELETE FROM upload_usage WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM upload_usage WHERE "Hour" < {before} LIMIT {batch} FOR UPDATE SKIP LOCKED))
                """, cancellationToken)
            : db.Database.ExecuteSqlAsync($"""
                DELETE FROM upload_usage WHERE rowid IN (SELECT rowid FROM upload_usage WHERE "Hour" < {before} LIMIT {batch})
                """, cancellationToken);
    }
}

public static class UploadSizes
{
    public static string Format(long bytes) => bytes switch
    {
        >= 1024L * 1024 * 1024 when bytes % (1024L * 1024 * 1024) == 0 => $"{bytes / (1024L * 1024 * 1024)} GiB",
        >= 1024 * 1024 => $"{bytes / (1024 * 1024)} MiB",
        _ => $"{Math.Max(1, bytes / 1024)} KiB",
    };
}
