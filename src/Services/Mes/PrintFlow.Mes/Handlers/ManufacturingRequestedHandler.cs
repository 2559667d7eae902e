using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Messaging;

namespace PrintFlow.Mes.Handlers;

/// <summary>
/// A confirmed order arrives on the floor: one job per order. A request re-sent for an order that already has a
/// job (a new message id, so the inbox does not catch it) changes nothing and publishes nothing.
/// </summary>
public sealed class ManufacturingRequestedHandler(
    MesDbContext db, LiveFeed feed, TimeProvider clock, ILogger<ManufacturingRequestedHandler> logger)
    : IIntegrationEventHandler<ManufacturingRequested>
{
    public async Task HandleAsync(ManufacturingRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        if (await db.HasJobAsync(message.OrderId, cancellationToken))
        {
            logger.LogInformation("Order {OrderId} already has a manufacturing job; the repeated request changes nothing", message.OrderId);
            return;
        }

        var (job, approved) = ManufacturingJob.Create(message, clock.GetUtcNow());
        db.Jobs.Add(job);
        db.Publish(approved, clock);
        db.AfterCommit(() => feed.Notify(MesTopics.Queue));
    }
}
