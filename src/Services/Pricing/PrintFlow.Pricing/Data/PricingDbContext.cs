using Microsoft.EntityFrameworkCore;
using PrintFlow.Messaging;

namespace PrintFlow.Pricing.Data;

public sealed class PricingDbContext(DbContextOptions<PricingDbContext> options) : ServiceDbContext(options)
{
    public DbSet<CachedAnalysis> Analyses => Set<CachedAnalysis>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<CachedAnalysis>(analysis =>
        {
            analysis.ToTable("analysis_cache");
            analysis.HasKey(a => new { a.Sha256, a.AnalysisVersion });
            analysis.Property(a => a.Sha256).HasMaxLength(64);
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
