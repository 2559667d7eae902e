using Microsoft.EntityFrameworkCore;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Webhooks;

internal static class WebhookModel
{
    public static void MapWebhooks(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookEndpoint>(endpoint =>
        {
            endpoint.ToTable("webhook_endpoints");
            endpoint.HasKey(e => e.Id);
            endpoint.HasIndex(e => e.PartnerId);
            endpoint.Property(e => e.Url).HasMaxLength(8192);
            endpoint.Property(e => e.Events).HasMaxLength(500);
            endpoint.Property(e => e.Description).HasMaxLength(200);
            endpoint.Property(e => e.ProtectedSecret).HasMaxLength(1000);
            endpoint.Property(e => e.ProtectedPreviousSecret).HasMaxLength(1000);
            endpoint.Ignore(e => e.EventTypes);
            endpoint.HasOne<Partner>().WithMany().HasForeignKey(e => e.PartnerId);
        });

        modelBuilder.Entity<WebhookDelivery>(delivery =>
        {
            delivery.ToTable("webhook_deliveries");
            delivery.HasKey(d => d.Id);
            // One row per event per endpoint: a status published twice (a re-drive) stages nothing the second time.
            delivery.HasIndex(d => new { d.EndpointId, d.EventId }).IsUnique();
            delivery.HasIndex(d => new { d.Status, d.NextAttemptAt }); // the dispatcher's due deliveries
            delivery.HasIndex(d => new { d.OrderId, d.EndpointId });
            delivery.Property(d => d.EventType).HasMaxLength(64);
            delivery.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
            delivery.Property(d => d.LastError).HasMaxLength(WebhookDelivery.MaxErrorLength);
            delivery.Property(d => d.ResponsePrefix).HasMaxLength(4096);
            // The dispatcher claims a due delivery by moving NextAttemptAt only if no other instance moved it first.
            delivery.Property(d => d.NextAttemptAt).IsConcurrencyToken();
            delivery.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
