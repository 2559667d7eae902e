using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Printers;
using PrintFlow.Messaging;

namespace PrintFlow.Mes.Handlers;

/// <summary>
/// A confirmed order arrives on the floor: one job per order. A request re-sent for an order that already has a
/// job (a new message id, so the inbox does not catch it) changes nothing and publishes nothing.
/// </summary>
public sealed class ManufacturingRequestedHandler(
    MesDbContext db, LiveFeed feed, TimeProvider clock, IOptionsMonitor<FarmOptions> farm, ILogger<ManufacturingRequestedHandler> logger)
    : IIntegrationEventHandler<ManufacturingRequested>
{
    public async Task HandleAsync(ManufacturingRequested message, MessageContext context, CancellationToken cancellationToken)
    {
        if (await db.HasJobAsync(message.OrderId, cancellationToken))
        {
            logger.LogInformation("Order {OrderId} already has a manufacturing job; the repeated request changes nothing", message.OrderId);
            return;
        }

        var now = clock.GetUtcNow();
        var (job, approved) = ManufacturingJob.Create(message, now);
        db.Jobs.Add(job);
        db.Publish(approved, clock);

        // A part no printer of the farm can ever hold is flagged now, with the reason, instead of waiting for ever.
        var printers = await db.ActivePrintersAsync(cancellationToken);
        if (PrinterFit.WhyNoPrinter(printers, job.Items, farm.CurrentValue.FitMarginMm) is { } reason
            && job.FlagUnschedulable(reason, now) is { } flagged)
        {
            logger.LogWarning("Order {OrderNumber} fits no printer: {Reason}", job.OrderNumber, reason);
            db.Publish(flagged, clock);
            db.AfterCommit(() => feed.Notify(MesTopics.Floor));
        }

        db.AfterCommit(() => feed.Notify(MesTopics.Queue));
    }
}
