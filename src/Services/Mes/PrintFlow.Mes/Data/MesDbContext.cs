using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Messaging;

namespace PrintFlow.Mes.Data;

public sealed class MesDbContext(DbContextOptions<MesDbContext> options) : ServiceDbContext(options)
{
    public DbSet<ManufacturingJob> Jobs => Set<ManufacturingJob>();
    public DbSet<JobStep> Steps => Set<JobStep>();
    public DbSet<MesAccount> Accounts => Set<MesAccount>();
    public DbSet<StageCount> StageCounts => Set<StageCount>();
    public DbSet<CarrierEvent> CarrierEvents => Set<CarrierEvent>();
    public DbSet<Printer> Printers => Set<Printer>();
    public DbSet<Plate> Plates => Set<Plate>();

    private static readonly CompiledQuery<Func<MesDbContext, Guid[], IAsyncEnumerable<ManufacturingJob>>> JobsOf = new(() =>
        EF.CompileAsyncQuery((MesDbContext db, Guid[] orderIds) => db.Jobs.Where(j => orderIds.Contains(j.OrderId))));

    private static readonly CompiledQuery<Func<MesDbContext, Guid, CancellationToken, Task<bool>>> HasJob = new(() =>
        EF.CompileAsyncQuery((MesDbContext db, Guid orderId, CancellationToken _) => db.Jobs.Any(j => j.OrderId == orderId)));

    private static readonly CompiledQuery<Func<MesDbContext, IAsyncEnumerable<Printer>>> ActivePrinters = new(() =>
        EF.CompileAsyncQuery((MesDbContext db) => db.Printers.AsNoTracking().Where(p => p.State != PrinterState.Retired)));

    private List<Printer>? _activePrinters;

    /// <summary>
    /// The farm's printers but the retired ones, untracked, read once per unit of work: a batch of manufacturing
    /// requests (one transaction) checks every job against the same farm, and read it once per request before.
    /// </summary>
    public async Task<List<Printer>> ActivePrintersAsync(CancellationToken cancellationToken)
    {
        if (_activePrinters is null)
        {
            var printers = new List<Printer>();
            await foreach (var printer in ActivePrinters.For(this)(this).WithCancellation(cancellationToken))
            {
                printers.Add(printer);
            }

            _activePrinters = printers;
        }

        return _activePrinters;
    }

    protected override void ResetState()
    {
        base.ResetState();
        _activePrinters = null;
    }

    /// <summary>A batch of requests finds its orders' jobs, if they have any, tracked: one query instead of one per request.</summary>
    protected override Task PreloadOrdersAsync(Guid[] orderIds, CancellationToken cancellationToken) =>
        PreloadAsync(JobsOf.For(this)(this, orderIds), orderIds, cancellationToken);

    /// <summary>
    /// Whether the order has a job: one tracked (the batch loaded it, or an earlier message made it), else none when
    /// the batch looked for it (<see cref="ServiceDbContext.WasPreloaded{TEntity}"/>), else asked.
    /// </summary>
    public async Task<bool> HasJobAsync(Guid orderId, CancellationToken cancellationToken) =>
        ChangeTracker.WithoutDetectingChanges(() => Jobs.Local.Any(j => j.OrderId == orderId))
        || (!WasPreloaded<ManufacturingJob>(orderId) && await HasJob.For(this)(this, orderId, cancellationToken));

    /// <summary>
    /// The per-stage counts at the top of /mes come from a counter table, not from counting jobs: delivered jobs
    /// pile up forever, so a GROUP BY (even over an index on Stage) reads every row on each page load, while this
    /// is eight rows. The counters change in the same transaction as the jobs, by relative UPDATEs (count = count
    /// ± n), so concurrent changes never conflict on them and they cannot drift from the jobs.
    /// </summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var deltas = StageDeltas();
        // In a batch of messages the counters change just before the batch commits: they are few rows, and every new
        // job changes the same one.
        return deltas.Count == 0
            ? base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
            : SaveWithRelativeUpdatesAsync(
                token => base.SaveChangesAsync(acceptAllChangesOnSuccess, token), token => ApplyAsync(deltas, token), cancellationToken);
    }

    private Dictionary<OrderStatus, int> StageDeltas()
    {
        var deltas = new Dictionary<OrderStatus, int>();
        foreach (var entry in ChangeTracker.Entries<ManufacturingJob>())
        {
            var stage = entry.Property(j => j.Stage);
            switch (entry.State)
            {
                case EntityState.Added:
                    Add(deltas, stage.CurrentValue, +1);
                    break;
                case EntityState.Deleted:
                    Add(deltas, stage.OriginalValue, -1);
                    break;
                case EntityState.Modified when stage.OriginalValue != stage.CurrentValue:
                    Add(deltas, stage.OriginalValue, -1);
                    Add(deltas, stage.CurrentValue, +1);
                    break;
            }
        }

        return deltas.Where(d => d.Value != 0).ToDictionary();

        static void Add(Dictionary<OrderStatus, int> deltas, OrderStatus stage, int delta) =>
            deltas[stage] = deltas.GetValueOrDefault(stage) + delta;
    }

    private async Task ApplyAsync(Dictionary<OrderStatus, int> deltas, CancellationToken cancellationToken)
    {
        foreach (var (stage, delta) in deltas)
        {
            var name = stage.ToString();
            await Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE mes_stage_counts SET \"Count\" = \"Count\" + {delta} WHERE \"Stage\" = {name}", cancellationToken);
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddAccountSessions();

        modelBuilder.Entity<ManufacturingJob>(job =>
        {
            job.ToTable("mes_jobs");
            job.HasKey(j => j.Id);
            job.HasIndex(j => j.JobId).IsUnique();
            // One job per order, whatever races: the second insert fails and its message is retried, then ignored.
            job.HasIndex(j => j.OrderId).IsUnique();
            job.HasIndex(j => j.OrderNumber);
            // The queue's sort order, so keyset pages are index range scans.
            job.HasIndex(j => new { j.QueueRank, j.Priority, j.DueBy, j.CreatedAt, j.Id });
            // The same order within one stage, for the stage filter and for take-next.
            job.HasIndex(j => new { j.Stage, j.QueueRank, j.Priority, j.DueBy, j.CreatedAt, j.Id });
            // An operator's work in progress.
            job.HasIndex(j => new { j.AssignedToId, j.Stage });
            job.Property(j => j.Stage).HasConversion<string>().HasMaxLength(32);
            job.Property(j => j.Channel).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.LeadTime).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.OrderNumber).HasMaxLength(32);
            job.Property(j => j.CustomerName).HasMaxLength(300);
            job.Property(j => j.Currency).HasMaxLength(8);
            job.Property(j => j.AssignedToName).HasMaxLength(200);
            job.Property(j => j.CancelReason).HasMaxLength(1000);
            job.Property(j => j.Carrier).HasMaxLength(32);
            job.Property(j => j.TrackingNumber).HasMaxLength(40);
            job.Property(j => j.TrackingUrl).HasMaxLength(500);
            job.Property(j => j.PrinterName).HasMaxLength(100);
            // Defaults, so the migration can add the columns to existing rows (a new job always sets them).
            job.Property(j => j.AwaitingPrinter).HasDefaultValue(true).HasSentinel(true);
            job.Property(j => j.PrintAttempts).HasDefaultValue(0);
            job.Property(j => j.UnschedulableReason).HasMaxLength(1000);
            // A printer's report finds the jobs of its print.
            job.HasIndex(j => j.PrintId);
            // A carrier's callback finds its parcel by tracking number.
            job.HasIndex(j => new { j.Carrier, j.TrackingNumber });
            job.Ignore(j => j.ShipTo);
            job.Ignore(j => j.Shipment);
            job.Property(j => j.Version).IsConcurrencyToken();
            job.Ignore(j => j.IsAssigned);
            job.Ignore(j => j.CanStillBeCancelled);
            job.Ignore(j => j.MaterialsNeeded);
            job.HasMany(j => j.Items).WithOne().HasForeignKey(i => i.JobId).OnDelete(DeleteBehavior.Cascade);
            job.HasMany(j => j.History).WithOne().HasForeignKey(s => s.JobId).OnDelete(DeleteBehavior.Cascade);
            job.Navigation(j => j.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
            job.Navigation(j => j.History).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        modelBuilder.Entity<CarrierEvent>(carrierEvent =>
        {
            carrierEvent.ToTable("mes_carrier_events");
            // A carrier's retry of the same event finds this key and changes nothing.
            carrierEvent.HasKey(e => new { e.Carrier, e.TrackingNumber, e.EventId });
            carrierEvent.Property(e => e.Carrier).HasMaxLength(32);
            carrierEvent.Property(e => e.TrackingNumber).HasMaxLength(40);
            carrierEvent.Property(e => e.EventId).HasMaxLength(100);
            carrierEvent.Property(e => e.Status).HasMaxLength(40);
        });

        modelBuilder.Entity<Printer>(printer =>
        {
            printer.ToTable("mes_printers");
            printer.HasKey(p => p.Id);
            printer.HasIndex(p => p.PrinterId).IsUnique();
            printer.HasIndex(p => p.Name).IsUnique();
            printer.Property(p => p.Name).HasMaxLength(100);
            printer.Property(p => p.Technology).HasMaxLength(8);
            printer.Property(p => p.Model).HasMaxLength(100);
            printer.Property(p => p.SlicerProfile).HasMaxLength(100);
            printer.Property(p => p.Material).HasMaxLength(32);
            printer.Property(p => p.Colour).HasMaxLength(40);
            printer.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
            printer.Property(p => p.BaseUrl).HasMaxLength(500);
            printer.Property(p => p.ApiKeyProtected).HasMaxLength(2000);
            printer.Property(p => p.ApiKeyHint).HasMaxLength(8);
            printer.Property(p => p.CurrentFileName).HasMaxLength(260);
            printer.Property(p => p.ErrorCode).HasMaxLength(40);
            printer.Property(p => p.ErrorMessage).HasMaxLength(1000);
            printer.Property(p => p.ErrorReason).HasMaxLength(40);
            printer.Property(p => p.ErrorArguments).HasMaxLength(1000);
            printer.Property(p => p.Version).IsConcurrencyToken();
            printer.Ignore(p => p.IsActive);
            printer.Ignore(p => p.CanTakeWork);
        });

        modelBuilder.Entity<Plate>(plate =>
        {
            plate.ToTable("mes_plates");
            plate.HasKey(p => p.Id);
            plate.HasIndex(p => p.PlateId).IsUnique();
            plate.HasIndex(p => new { p.PrinterId, p.CreatedAt });
            plate.Property(p => p.PrinterName).HasMaxLength(100);
            plate.Property(p => p.Material).HasMaxLength(32);
            plate.Property(p => p.Colour).HasMaxLength(40);
            plate.Property(p => p.SlicerProfile).HasMaxLength(100);
            plate.Property(p => p.Orders).HasMaxLength(1000);
            plate.Property(p => p.State).HasConversion<string>().HasMaxLength(16);
            plate.Property(p => p.Reason).HasMaxLength(Plate.MaxReasonLength);
        });

        modelBuilder.Entity<JobItem>(item =>
        {
            item.ToTable("mes_job_items");
            item.HasKey(i => i.Id);
            item.HasIndex(i => new { i.Material, i.JobId });
            item.Property(i => i.FileName).HasMaxLength(260);
            item.Property(i => i.Material).HasMaxLength(32);
            item.Property(i => i.ModelSha256).HasMaxLength(64);
            item.Property(i => i.Colour).HasMaxLength(40);
            item.Property(i => i.PrinterName).HasMaxLength(100);
        });

        modelBuilder.Entity<JobStep>(step =>
        {
            step.ToTable("mes_job_steps");
            step.HasKey(s => s.Id);
            step.HasIndex(s => new { s.JobId, s.Id });
            step.HasIndex(s => new { s.ById, s.At });
            step.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
            step.Property(s => s.Stage).HasConversion<string>().HasMaxLength(32);
            step.Property(s => s.ByName).HasMaxLength(200);
            step.Property(s => s.Reason).HasMaxLength(1000);
        });

        modelBuilder.Entity<MesAccount>(account =>
        {
            account.ToTable("mes_accounts");
            account.HasKey(a => a.Id);
            account.HasIndex(a => a.Email).IsUnique();
            account.Property(a => a.Email).HasMaxLength(320);
            account.Property(a => a.Name).HasMaxLength(200);
            account.Property(a => a.Role).HasMaxLength(32);
            account.Property(a => a.Skills).HasMaxLength(200);
            account.Ignore(a => a.SkillList);
            account.Property(a => a.LoadVersion).IsConcurrencyToken();
        });

        modelBuilder.Entity<StageCount>(count =>
        {
            count.ToTable("mes_stage_counts");
            count.HasKey(c => c.Stage);
            count.Property(c => c.Stage).HasConversion<string>().HasMaxLength(32);
            count.HasData(JobStages.All.Select(stage => new StageCount { Stage = stage, Count = 0 }));
        });
    }
}
