using Microsoft.EntityFrameworkCore;
using PrintFlow.Crm.Domain;
using PrintFlow.Messaging;

namespace PrintFlow.Crm.Data;

public sealed class CrmDbContext(DbContextOptions<CrmDbContext> options) : ServiceDbContext(options)
{
    public DbSet<CrmCustomer> Customers => Set<CrmCustomer>();
    public DbSet<CrmOrder> Orders => Set<CrmOrder>();
    public DbSet<CrmNote> Notes => Set<CrmNote>();
    public DbSet<SalesManager> SalesManagers => Set<SalesManager>();

    /// <summary>A batch of events finds its orders tracked (the handlers look them up by key): one query instead of one per event.</summary>
    protected override Task PreloadOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken) =>
        Orders.Where(o => orderIds.Contains(o.OrderId)).LoadAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
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
