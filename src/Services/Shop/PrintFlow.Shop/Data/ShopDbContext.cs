using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Uploads;
using PrintFlow.ServiceDefaults.Shipping;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Data;

public sealed class ShopDbContext(DbContextOptions<ShopDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<ShopOrder> Orders => Set<ShopOrder>();
    public DbSet<SavedAddress> Addresses => Set<SavedAddress>();
    public DbSet<AccountToken> AccountTokens => Set<AccountToken>();
    public DbSet<Cart> Carts => Set<Cart>();

    private static readonly CompiledQuery<Func<ShopDbContext, Guid[], IAsyncEnumerable<ShopOrder>>> OrdersOf = new(() =>
        EF.CompileAsyncQuery((ShopDbContext db, Guid[] orderIds) => db.Orders.Where(o => orderIds.Contains(o.Id))));

    /// <summary>A batch of events finds its orders tracked (the handlers look them up by key): one query instead of one per event.</summary>
    protected override Task PreloadOrdersAsync(Guid[] orderIds, CancellationToken cancellationToken) =>
        PreloadAsync(OrdersOf.For(this)(this, orderIds), orderIds, cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.MapUploadUsage();
        modelBuilder.AddAccountSessions().AddSignInCounters();
        modelBuilder.Entity<Customer>(customer =>
        {
            customer.ToTable("customers");
            customer.HasKey(c => c.Id);
            customer.HasIndex(c => c.Email).IsUnique();
            customer.Property(c => c.Email).HasMaxLength(320);
            customer.Property(c => c.DisplayName).HasMaxLength(200);
            customer.Property(c => c.Language).HasMaxLength(8).HasDefaultValue("ru"); // the default fills rows that existed before the column
            customer.Ignore(c => c.IsEmailVerified);
        });
        modelBuilder.Entity<AccountToken>(token =>
        {
            token.ToTable("account_tokens");
            token.HasKey(t => t.Id);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasIndex(t => new { t.CustomerId, t.Purpose });
            token.HasIndex(t => t.ExpiresAt); // pruning
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.Property(t => t.Purpose).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<SavedAddress>(address =>
        {
            address.ToTable("customer_addresses");
            address.HasKey(a => a.Id);
            address.HasIndex(a => new { a.CustomerId, a.LastUsedAt });
            address.Property(a => a.Recipient).HasMaxLength(ShippingAddressRules.MaxRecipient);
            address.Property(a => a.Line1).HasMaxLength(ShippingAddressRules.MaxLine);
            address.Property(a => a.Line2).HasMaxLength(ShippingAddressRules.MaxLine);
            address.Property(a => a.City).HasMaxLength(ShippingAddressRules.MaxCity);
            address.Property(a => a.Region).HasMaxLength(ShippingAddressRules.MaxRegion);
            address.Property(a => a.PostalCode).HasMaxLength(ShippingAddressRules.MaxPostalCode);
            address.Property(a => a.Country).HasMaxLength(2);
            address.Property(a => a.Phone).HasMaxLength(ShippingAddressRules.MaxPhone);
            address.Ignore(a => a.Label);
        });
        modelBuilder.Entity<ShopOrder>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.Id);
            order.HasIndex(o => new { o.CustomerId, o.SubmittedAt });
            order.Property(o => o.Resends).HasDefaultValue(0).HasSentinel(-1); // the default fills rows that existed before the column
            order.HasIndex(o => new { o.Version, o.Resends, o.LastSentAt }); // unanswered submissions (Version 0) due for a re-send
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(40);
            order.Property(o => o.LeadTime).HasConversion<string>().HasMaxLength(20);
            order.Property(o => o.ConcurrencyStamp).IsConcurrencyToken();
            // JSON text columns, converted once when an order is read; the domain replaces each value whole on change.
            order.Property(o => o.Items).AsJson("ItemsJson").IsRequired();
            order.Property(o => o.History).AsJson("HistoryJson").IsRequired()
                .HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);
            order.Property(o => o.Quote).AsJson("QuoteJson").IsRequired(false);
            order.Property(o => o.ShipTo).AsJson("ShipToJson").IsRequired(false);
            order.Property(o => o.Shipment).AsJson("ShipmentJson").IsRequired(false);
            order.Ignore(o => o.Number);
            order.Ignore(o => o.CustomerRef);
            order.Ignore(o => o.CanConfirm);
            order.Ignore(o => o.CanCancel);
        });
        modelBuilder.Entity<Cart>(cart =>
        {
            cart.ToTable("carts");
            cart.HasKey(c => c.Id);
            cart.HasIndex(c => c.TokenHash).IsUnique();
            cart.HasIndex(c => c.ExpiresAt); // the sweeper's scan
            cart.Property(c => c.TokenHash).HasMaxLength(64);
            cart.Property(c => c.LeadTime).HasConversion<string>().HasMaxLength(20);
            cart.Property(c => c.ConcurrencyStamp).IsConcurrencyToken();
            cart.Property(c => c.Items).AsJson("ItemsJson").IsRequired();
            cart.Property(c => c.Pricing).AsJson("PricingJson").IsRequired(false);
            cart.Ignore(c => c.Catalogue);
            cart.Ignore(c => c.IsPriced);
            cart.Ignore(c => c.CanOrder);
        });
    }
}
