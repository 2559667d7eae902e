using Microsoft.EntityFrameworkCore;
using PrintFlow.Messaging;
using PrintFlow.Notifications.Domain;

namespace PrintFlow.Notifications.Data;

public sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<CustomerPreference> Preferences => Set<CustomerPreference>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Notification>(n =>
        {
            n.ToTable("notifications");
            n.HasKey(x => x.Id);
            n.Property(x => x.EventKey).HasMaxLength(200);
            n.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
            n.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            n.Property(x => x.Recipient).HasMaxLength(320);
            n.Property(x => x.RecipientName).HasMaxLength(300);
            n.Property(x => x.CustomerId).HasMaxLength(200);
            n.Property(x => x.Language).HasMaxLength(8);
            n.Property(x => x.Subject).HasMaxLength(400);
            n.Property(x => x.LastError).HasMaxLength(Notification.MaxErrorLength);
            n.Ignore(x => x.MessageIdHeader);
            // One email per event, recipient and kind: a repeat of the event cannot store a second one.
            n.HasIndex(x => new { x.EventKey, x.Recipient, x.Kind }).IsUnique();
            // Only the emails still to send, for the sender's claim.
            n.HasIndex(x => x.NextAttemptAt, "IX_notifications_Pending").HasFilter("\"State\" = 'Pending'");
            n.HasIndex(x => x.CreatedAt);
        });
        modelBuilder.Entity<CustomerPreference>(p =>
        {
            p.ToTable("customer_preferences");
            p.HasKey(x => x.CustomerId);
            p.Property(x => x.CustomerId).HasMaxLength(200);
            p.Property(x => x.Language).HasMaxLength(8);
        });
    }
}
