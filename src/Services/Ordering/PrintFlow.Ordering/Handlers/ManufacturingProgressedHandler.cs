using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;

namespace PrintFlow.Ordering.Handlers;

/// <summary>Follows the factory: applies MES's steps once each and in their sequence.</summary>
public sealed class ManufacturingProgressedHandler(
    OrderingDbContext db, TimeProvider clock, ILogger<ManufacturingProgressedHandler> logger, PrintFlow.ServiceDefaults.Observability.PrintFlowMetrics metrics)
    : IIntegrationEventHandler<ManufacturingProgressed>
{
    public async Task HandleAsync(ManufacturingProgressed message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderAsync(message.OrderId, cancellationToken);
        if (message.Sequence <= order.ManufacturingSequence)
        {
            logger.LogInformation("Step {Sequence} of order {OrderNumber} was applied before", message.Sequence, order.Number);
            return;
        }

        if (message.Sequence > order.ManufacturingSequence + 1)
        {
            throw new MessageOutOfOrderException(
                $"Step {message.Sequence} of order {order.Number} arrived before step {order.ManufacturingSequence + 1}.");
        }

        if (order.Status == OrderStatus.Cancelled && message.Stage == OrderStatus.ManufacturingApproved)
        {
            // MES accepted the job while the cancellation was on its way; MES withdraws it on ManufacturingCancelled.
            logger.LogInformation("Order {OrderNumber} was cancelled before MES accepted it", order.Number);
            return;
        }

        var now = clock.GetUtcNow();
        var changed = message.Stage == OrderStatus.ManufacturingApproved
            ? order.ApproveManufacturing(message.JobId, now)
            : order.AdvanceManufacturing(message.Sequence, message.Stage, message.Reason, now, message.Shipment);
        db.Publish(changed, clock);
        db.AfterCommit(() => metrics.FactoryStep(message.Stage.ToString(), message.By));
    }
}
