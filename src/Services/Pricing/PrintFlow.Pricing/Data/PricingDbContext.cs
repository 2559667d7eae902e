using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Exact;

namespace PrintFlow.Pricing.Data;

public sealed class PricingDbContext(DbContextOptions<PricingDbContext> options) : ServiceDbContext(options)
{
    public DbSet<CachedAnalysis> Analyses => Set<CachedAnalysis>();
    public DbSet<ExactJob> ExactJobs => Set<ExactJob>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<CachedAnalysis>(analysis =>
        {
            analysis.ToTable("analysis_cache");
            analysis.HasKey(a => new { a.Sha256, a.AnalysisVersion });
            analysis.Property(a => a.Sha256).HasMaxLength(64);
            analysis.Property(a => a.Result).AsJson("ResultJson", CachedAnalysis.Json).IsRequired();
        });
        modelBuilder.Entity<ExactJob>(job =>
        {
            job.ToTable("exact_jobs");
            job.HasKey(j => j.EstimateQuoteId);
            job.Property(j => j.EstimateQuoteId).ValueGeneratedNever();
            job.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.FailureCode).HasMaxLength(64);
            job.Property(j => j.Request).AsJson("RequestJson").IsRequired();
            job.HasIndex(j => new { j.State, j.CreatedAt });
            job.HasIndex(j => j.OrderId);
        });
    }
}

/// <summary>A model's analysis, keyed by its content hash and the analyzer version that produced it.</summary>
public sealed class CachedAnalysis
{
    public required string Sha256 { get; set; }
    public int AnalysisVersion { get; set; }
    // The format the cache has always been written in (web defaults), so analyses cached before still read.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Stored as JSON in the ResultJson column (JsonColumn).</summary>
    public required MeshAnalysis Result { get; set; }
    public double AnalysisMilliseconds { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
