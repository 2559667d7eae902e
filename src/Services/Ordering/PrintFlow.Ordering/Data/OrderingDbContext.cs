using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Data;

/// <remarks>
/// Pooled (one instance serves many units of work), so it takes nothing but its options: the live feed and the
/// metrics come from the application's services when first needed, and <see cref="ResetState"/> forgets the rest.
/// </remarks>
public sealed class OrderingDbContext(DbContextOptions<OrderingDbContext> options) : ServiceDbContext(options)
{
    private PrintFlow.LiveUpdates.LiveFeed? _feed;
    private PrintFlow.ServiceDefaults.Observability.PrintFlowMetrics? _metrics;
    private bool _resolved;

    /// <summary>
    /// What causes the moves saved outside a message handler (the watchdog); a handler's moves are attributed to the
    /// message it handles.
    /// </summary>
    internal string? LocalCause { get; set; }

    /// <summary>
    /// Every committed change to orders refreshes the open operations pages. Changes are detected once for the whole
    /// save: each look at the tracked entries below (attribution, the live notice, metrics, the outbox's interceptor)
    /// and SaveChanges itself would otherwise compare the whole tracked order, items and history, again.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (!_resolved)
        {
            _feed = ApplicationService<PrintFlow.LiveUpdates.LiveFeed>();
            _metrics = ApplicationService<PrintFlow.ServiceDefaults.Observability.PrintFlowMetrics>();
            _resolved = true;
        }

        var detect = ChangeTracker.AutoDetectChangesEnabled;
        if (detect)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }

        try
        {
            // (Stamping sets values on added transitions only: they are inserted with whatever they hold.)
            TransitionAttribution.Stamp(ChangeTracker, LocalCause);
            if (_feed is { } feed && ChangeTracker.Entries<Order>().Any(e => e.State is EntityState.Added or EntityState.Modified))
            {
                AfterCommit(() => feed.Notify(OrderingModule.OpsTopic));
            }

            if (_metrics is { } metrics && OrderTransitionMetrics.Capture(ChangeTracker, metrics) is { } record)
            {
                AfterCommit(record);
            }

            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    private static readonly CompiledQuery<Func<OrderingDbContext, Guid[], IAsyncEnumerable<Order>>> OrdersOf = new(() =>
        EF.CompileAsyncQuery((OrderingDbContext db, Guid[] orderIds) => db.Orders.Where(o => orderIds.Contains(o.Id))));

    /// <summary>A batch of messages finds its orders tracked (<see cref="OrderingDbContextExtensions.FindOrderAsync"/>): one query instead of one per message.</summary>
    protected override Task PreloadOrdersAsync(Guid[] orderIds, CancellationToken cancellationToken) =>
        PreloadAsync(OrdersOf.For(this)(this, orderIds), orderIds, cancellationToken);

    /// <summary>The transitions the handler just made are the message's: attributed now, as the next message's may share the save.</summary>
    /// <remarks>
    /// Only the tracked orders are looked at (their new transitions are in their History even before EF has detected
    /// them), so this does not compare every tracked entity once per message of a batch.
    /// </remarks>
    protected override void MessageHandled(MessageContext message) => TransitionAttribution.Stamp(
        ChangeTracker.WithoutDetectingChanges(() => ChangeTracker.Entries<Order>().Select(e => e.Entity).ToList()), message.Name);

    protected override void ResetState()
    {
        base.ResetState();
        LocalCause = null;
    }

    /// <summary>
    /// An order's transitions in one transaction leave as one status event (the last, listing the ones before it):
    /// each is one delivery fewer to every channel and to CRM, and two events of one order no longer reach a
    /// channel's instances at the same moment (docs/decisions/0012-one-status-event-per-transaction.md).
    /// </summary>
    protected override IIntegrationEvent? Coalesce(IIntegrationEvent earlier, IIntegrationEvent next) =>
        earlier is OrderStatusChanged first && next is OrderStatusChanged then && then.Version > first.Version
            ? first.FollowedBy(then)
            : null;

    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderTransition> Transitions => Set<OrderTransition>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("orders");
            order.HasKey(o => o.Id);
            order.Property(o => o.Id).ValueGeneratedNever();
            order.Property(o => o.Version).IsConcurrencyToken();
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(32);
            order.Property(o => o.Channel).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.LeadTime).HasConversion<string>().HasMaxLength(16);
            order.Property(o => o.CustomerId).HasMaxLength(200);
            order.Property(o => o.CustomerName).HasMaxLength(300);
            order.Property(o => o.CustomerEmail).HasMaxLength(300);
            order.Property(o => o.Number).HasMaxLength(20);
            order.HasIndex(o => o.Number).IsUnique();
            order.Ignore(o => o.WaitingSince);
            order.Ignore(o => o.Customer);
            // Items and quote are JSON text columns, converted once when an order is read, not on every access.
            order.Property(o => o.Items).AsJson("ItemsJson").IsRequired();
            order.Property(o => o.Quote).AsJson("QuoteJson").IsRequired(false);
            order.Property(o => o.ShipTo).AsJson("ShipToJson").IsRequired(false);
            order.Property(o => o.Shipment).AsJson("ShipmentJson").IsRequired(false);
            order.Ignore(o => o.ShouldAutoConfirm);
            order.HasMany(o => o.History).WithOne().HasForeignKey(t => t.OrderId);
            order.Navigation(o => o.History).HasField("_history").UsePropertyAccessMode(PropertyAccessMode.Field);
            order.HasIndex(o => new { o.Status, o.StatusSince });
        });
        modelBuilder.Entity<OrderTransition>(transition =>
        {
            transition.ToTable("order_transitions");
            transition.HasKey(t => t.Id);
            transition.Property(t => t.From).HasConversion<string>().HasMaxLength(32);
            transition.Property(t => t.To).HasConversion<string>().HasMaxLength(32);
            transition.Property(t => t.Cause).HasMaxLength(200);
            transition.Property(t => t.CausedBy).HasMaxLength(32);
            transition.Property(t => t.TraceId).HasMaxLength(32);
            transition.HasIndex(t => new { t.OrderId, t.Id });
            // Throughput on the ops page counts the moves of the last hour: a range over At, covered by (At, To).
            transition.HasIndex(t => new { t.At, t.To });
        });
    }
}
