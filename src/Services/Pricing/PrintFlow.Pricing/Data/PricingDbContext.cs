using Microsoft.EntityFrameworkCore;
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
        });
        modelBuilder.Entity<ExactJob>(job =>
        {
            job.ToTable("exact_jobs");
            job.HasKey(j => j.EstimateQuoteId);
            job.Property(j => j.EstimateQuoteId).ValueGeneratedNever();
            job.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.FailureCode).HasMaxLength(64);
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
    public required string ResultJson { get; set; }
    public double AnalysisMilliseconds { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
