using Microsoft.EntityFrameworkCore;
using PrintFlow.Messaging;
using PrintFlow.Partners.Domain;
using PrintFlow.Partners.Webhooks;
using PrintFlow.ServiceDefaults.Migrations;
using PrintFlow.ServiceDefaults.Uploads;

namespace PrintFlow.Partners.Data;

public sealed class PartnersDbContext(DbContextOptions<PartnersDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Partner> Partners => Set<Partner>();
    public DbSet<PartnerApiKey> ApiKeys => Set<PartnerApiKey>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<PartnerOrder> Orders => Set<PartnerOrder>();
    public DbSet<PartnerRequestCount> RequestCounts => Set<PartnerRequestCount>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();

    private static readonly CompiledQuery<Func<PartnersDbContext, Guid[], IAsyncEnumerable<PartnerOrder>>> OrdersOf = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, Guid[] orderIds) => db.Orders.Where(o => orderIds.Contains(o.Id))));

    /// <summary>A batch of status events finds its orders tracked: one query instead of one per event.</summary>
    protected override Task PreloadOrdersAsync(Guid[] orderIds, CancellationToken cancellationToken) =>
        PreloadAsync(OrdersOf.For(this)(this, orderIds), orderIds, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.MapUploadUsage();

        modelBuilder.Entity<Partner>(partner =>
        {
            partner.ToTable("partners");
            partner.HasKey(p => p.Id);
            partner.Property(p => p.Name).HasMaxLength(200);
            partner.Property(p => p.ContactEmail).HasMaxLength(320);
            var postgres = DatabaseProviders.Of(this) == DatabaseProvider.Postgres;
            partner.Property(p => p.DefaultShipTo).AsJson("default_ship_to", PartnerOrderJson.For(postgres))
                .HasColumnType(postgres ? "jsonb" : null).IsRequired(false);
        });

        modelBuilder.Entity<PartnerApiKey>(key =>
        {
            key.ToTable("partner_api_keys");
            key.HasKey(k => k.Id);
            key.HasIndex(k => k.Hash).IsUnique();
            key.HasIndex(k => k.PartnerId);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.Property(k => k.Hint).HasMaxLength(16);
            key.HasOne<Partner>().WithMany().HasForeignKey(k => k.PartnerId);
        });

        modelBuilder.Entity<IdempotencyRecord>(record =>
        {
            record.ToTable("idempotency_records");
            record.HasKey(r => new { r.PartnerId, r.Key });
            record.Property(r => r.Key).HasMaxLength(255);
            record.Property(r => r.RequestHash).HasMaxLength(64);
        });

        modelBuilder.Entity<PartnerRequestCount>(count =>
        {
            count.ToTable("partner_request_counts");
            count.HasKey(c => c.PartnerId);
            // PostgreSQL: no WAL, so a count's commit does not wait for a disk flush (migration 0006 says why).
            count.IsUnlogged();
        });

        modelBuilder.MapWebhooks();

        modelBuilder.Entity<PartnerOrder>(order =>
        {
            order.ToTable("partner_orders");
            order.HasKey(o => o.Id);
            order.Property(o => o.OrderNumber).HasMaxLength(32);
            order.Property(o => o.Reference).HasMaxLength(100);
            order.Property(o => o.SortKey).HasMaxLength(64);
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(32);
            order.Property(o => o.LeadTime).HasConversion<string>().HasMaxLength(16);
            // A handler and a confirm/cancel request may touch the same order: the later save re-reads.
            order.Property(o => o.Version).IsConcurrencyToken();
            order.HasIndex(o => new { o.PartnerId, o.SortKey });
            order.HasIndex(o => new { o.PartnerId, o.Status, o.SortKey });
            order.Property(o => o.Resends).HasDefaultValue(0).HasSentinel(-1); // the default fills rows that existed before the column
            order.HasIndex(o => new { o.Version, o.Resends, o.LastSentAt }); // unanswered submissions (Version 0) due for a re-send
            // Items, quote, last refused request and status history are JSON columns of the order (JsonColumn): a status
            // event rewrites one row instead of adding history rows, and reading an order reads one row (migration 0004).
            var postgres = DatabaseProviders.Of(this) == DatabaseProvider.Postgres;
            var json = PartnerOrderJson.For(postgres);
            var columnType = postgres ? "jsonb" : null;
            order.Property(o => o.Items).AsJsonList<IReadOnlyList<OrderItemView>, OrderItemView>("items", json)
                .HasColumnType(columnType).IsRequired(false);
            order.Property(o => o.Quote).AsJson("quote", json).HasColumnType(columnType).IsRequired(false);
            order.Property(o => o.Message).AsJson("message", json).HasColumnType(columnType).IsRequired(false);
            order.Property(o => o.ShipTo).AsJson("ship_to", json).HasColumnType(columnType).IsRequired(false);
            order.Property(o => o.Shipment).AsJson("shipment", json).HasColumnType(columnType).IsRequired(false);
            order.Property(o => o.History).AsJsonList<IReadOnlyList<OrderStatusEntry>, OrderStatusEntry>("history", json)
                .HasColumnType(columnType).IsRequired(false)
                .HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
    }
}
