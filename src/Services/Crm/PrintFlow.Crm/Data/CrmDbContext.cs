using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Crm.Domain;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Crm.Data;

public sealed class CrmDbContext(DbContextOptions<CrmDbContext> options) : ServiceDbContext(options)
{
    public DbSet<CrmCustomer> Customers => Set<CrmCustomer>();
    public DbSet<CrmOrder> Orders => Set<CrmOrder>();
    public DbSet<CrmNote> Notes => Set<CrmNote>();
    public DbSet<SalesManager> SalesManagers => Set<SalesManager>();

    /// <summary>
    /// A customer's totals (<see cref="CrmCustomer"/>) are written as what this unit of work added to them. On
    /// PostgreSQL by relative UPDATEs (count = count + n, revenue = revenue + r, the earliest and latest order time),
    /// in a batch just before it commits: batches about one customer's orders then wait a moment for its row instead
    /// of failing on its concurrency stamp and being applied again (docs/messaging.md). On SQLite (the embedded
    /// default, one writer at a time) the
    /// totals are written with the customer, and a change of them moves the stamp, so a concurrent one is applied again.
    /// </summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (DatabaseProviders.Of(this) != DatabaseProvider.Postgres)
        {
            StampChangedTotals();
            return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var totals = TakeChangedTotals();
        return totals.Count == 0
            ? base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
            : SaveWithRelativeUpdatesAsync(
                token => base.SaveChangesAsync(acceptAllChangesOnSuccess, token), token => AddTotalsAsync(totals, token), cancellationToken);
    }

    private sealed record TotalsAdded(
        SalesChannel Channel, string CustomerId, int Orders, decimal Revenue, DateTimeOffset? FirstOrderAt, DateTimeOffset? LastOrderAt, string? Currency);

    private IEnumerable<EntityEntry<CrmCustomer>> CustomersWithChangedTotals() =>
        ChangeTracker.Entries<CrmCustomer>().Where(e => e.State == EntityState.Modified && TotalsOf(e).Any(p => p.IsModified));

    private static PropertyEntry[] TotalsOf(EntityEntry<CrmCustomer> entry) =>
    [
        entry.Property(c => c.OrderCount), entry.Property(c => c.Revenue), entry.Property(c => c.FirstOrderAt),
        entry.Property(c => c.LastOrderAt), entry.Property(c => c.Currency),
    ];

    private void StampChangedTotals()
    {
        foreach (var entry in CustomersWithChangedTotals().ToList())
        {
            var stamp = entry.Property(c => c.ConcurrencyStamp);
            if (!stamp.IsModified)
            {
                stamp.CurrentValue++;
            }
        }
    }

    /// <summary>What each changed customer's totals gained since they were read (or last saved); EF then leaves them alone.</summary>
    private List<TotalsAdded> TakeChangedTotals()
    {
        var added = new List<TotalsAdded>();
        foreach (var entry in CustomersWithChangedTotals().ToList())
        {
            var count = entry.Property(c => c.OrderCount);
            var revenue = entry.Property(c => c.Revenue);
            var first = entry.Property(c => c.FirstOrderAt);
            var last = entry.Property(c => c.LastOrderAt);
            var currency = entry.Property(c => c.Currency);
            added.Add(new TotalsAdded(entry.Entity.Channel, entry.Entity.CustomerId,
                count.CurrentValue - count.OriginalValue,
                revenue.CurrentValue - revenue.OriginalValue,
                first.IsModified ? first.CurrentValue : null,
                last.IsModified ? last.CurrentValue : null,
                currency.IsModified ? currency.CurrentValue : null));
            foreach (var property in TotalsOf(entry))
            {
                // Read as written: a later save of this context adds only what changes after this one.
                property.OriginalValue = property.CurrentValue;
                property.IsModified = false;
            }
        }

        // Rows in key order, as SaveChanges writes them, so that two batches lock shared customers in the same order.
        return [.. added.OrderBy(t => t.Channel).ThenBy(t => t.CustomerId, StringComparer.Ordinal)];
    }

    private async Task AddTotalsAsync(List<TotalsAdded> totals, CancellationToken cancellationToken)
    {
        foreach (var t in totals)
        {
            await Database.ExecuteSqlInterpolatedAsync($"""
                UPDATE customers SET
                    "OrderCount" = "OrderCount" + {t.Orders},
                    "Revenue" = "Revenue" + {t.Revenue},
                    "FirstOrderAt" = LEAST("FirstOrderAt", {t.FirstOrderAt?.ToUniversalTime()}),
                    "LastOrderAt" = GREATEST("LastOrderAt", {t.LastOrderAt?.ToUniversalTime()}),
                    "Currency" = COALESCE({t.Currency}, "Currency")
                WHERE "Channel" = {t.Channel.ToString()} AND "CustomerId" = {t.CustomerId}
                """, cancellationToken);
        }
    }

    private static readonly CompiledQuery<Func<CrmDbContext, Guid[], IAsyncEnumerable<CrmOrder>>> OrdersOf = new(() =>
        EF.CompileAsyncQuery((CrmDbContext db, Guid[] orderIds) => db.Orders.Where(o => orderIds.Contains(o.OrderId))));

    /// <summary>A batch of events finds its orders tracked (the handlers look them up by key): one query instead of one per event.</summary>
    protected override Task PreloadOrdersAsync(Guid[] orderIds, CancellationToken cancellationToken) =>
        PreloadAsync(OrdersOf.For(this)(this, orderIds), orderIds, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.AddAccountSessions();
        modelBuilder.Entity<CrmCustomer>(customer =>
        {
            customer.ToTable("customers");
            customer.HasKey(c => new { c.Channel, c.CustomerId });
            customer.Property(c => c.Channel).HasConversion<string>().HasMaxLength(20);
            customer.Property(c => c.CustomerId).HasMaxLength(200);
            customer.Property(c => c.ConcurrencyStamp).IsConcurrencyToken();
            customer.HasIndex(c => c.LastOrderAt);
        });
        modelBuilder.Entity<CrmOrder>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.OrderId);
            order.Property(o => o.Channel).HasConversion<string>().HasMaxLength(20);
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(40);
            order.HasIndex(o => new { o.Channel, o.CustomerId, o.SubmittedAt });
            order.Property(o => o.Carrier).HasMaxLength(32);
            order.Property(o => o.TrackingNumber).HasMaxLength(40);
            order.Property(o => o.TrackingUrl).HasMaxLength(500);
            order.Ignore(o => o.Number);
        });
        modelBuilder.Entity<CrmNote>(note =>
        {
            note.ToTable("notes");
            note.HasKey(n => n.Id);
            note.Property(n => n.Channel).HasConversion<string>().HasMaxLength(20);
            note.HasIndex(n => new { n.Channel, n.CustomerId, n.At });
        });
        modelBuilder.Entity<SalesManager>(manager =>
        {
            manager.ToTable("sales_managers");
            manager.HasKey(m => m.Id);
            manager.HasIndex(m => m.Email).IsUnique();
        });
    }
}
