using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Data;
using PrintFlow.Messaging;

namespace PrintFlow.Mes.Handlers;

/// <summary>
/// Ordering withdrew an order. A job that has not started printing leaves the queue; one already printing stays
/// (the material is on the plate) and a warning tells whoever watches the logs.
/// </summary>
public sealed class ManufacturingCancelledHandler(
    MesDbContext db, LiveFeed feed, TimeProvider clock, ILogger<ManufacturingCancelledHandler> logger)
    : IIntegrationEventHandler<ManufacturingCancelled>
{
    public async Task HandleAsync(ManufacturingCancelled message, MessageContext context, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.OrderId == message.OrderId, cancellationToken);
        if (job is null)
        {
            // The relay delivers one order's messages in sequence, so a request would have arrived first: this order
            // never reached the floor and there is nothing to withdraw.
            logger.LogWarning("Order {OrderId} was cancelled for manufacturing but has no job here", message.OrderId);
            return;
        }

        if (job.Stage == OrderStatus.Cancelled)
        {
            return;
        }

        if (!job.CanStillBeCancelled)
        {
            logger.LogWarning(
                "Order {OrderNumber} was cancelled but its job is already {Stage}; the job stays on the floor",
                job.OrderNumber, job.Stage);
            return;
        }

        job.Cancel(message.Reason, clock.GetUtcNow());
        db.AfterCommit(() => feed.Notify(MesTopics.Queue));
    }
}
