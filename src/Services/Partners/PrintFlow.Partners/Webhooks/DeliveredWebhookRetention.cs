using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;
using PrintFlow.Partners.Data;

namespace PrintFlow.Partners.Webhooks;

/// <summary>Deletes webhook deliveries delivered longer ago than <see cref="WebhookOptions.DeliveredRetention"/>.</summary>
internal sealed class DeliveredWebhookRetention(IOptionsMonitor<WebhookOptions> options) : IRetentionRule<PartnersDbContext>
{
    public string Table => "webhook_deliveries";

    public Task<int> DeleteBatchAsync(PartnersDbContext db, DateTimeOffset now, int batch, CancellationToken cancellationToken)
    {
        var cutoff = now - options.CurrentValue.DeliveredRetention;
        const string delivered = nameof(DeliveryStatus.Delivered);
        return db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlAsync($"""
                DELETE FROM webhook_deliveries WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM webhook_deliveries WHERE "Status" = {delivered} AND "DeliveredAt" < {cutoff}
                    LIMIT {batch} FOR UPDATE SKIP LOCKED))
                """, cancellationToken)
            // SQLite stores times as UTC ticks (ServiceDbContext.ConfigureConventions).
            : db.Database.ExecuteSqlAsync($"""
                DELETE FROM webhook_deliveries WHERE "Id" IN (
                    SELECT "Id" FROM webhook_deliveries WHERE "Status" = {delivered} AND "DeliveredAt" < {cutoff.UtcTicks} LIMIT {batch})
                """, cancellationToken);
    }
}
