using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Messaging;

namespace PrintFlow.Ordering.Handlers;

/// <summary>
/// MES says no printer of the farm can print an order (the reason names the part and the build volumes). The order
/// stays where it is, approved for manufacturing; the warning carries the reason to the people who follow orders.
/// </summary>
public sealed class ManufacturingUnschedulableHandler(ILogger<ManufacturingUnschedulableHandler> logger)
    : IIntegrationEventHandler<ManufacturingUnschedulable>
{
    public Task HandleAsync(ManufacturingUnschedulable message, MessageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        logger.LogWarning("Order {OrderNumber} fits no printer of the farm: {Reason}", OrderNumber.From(message.OrderId), message.Reason);
        return Task.CompletedTask;
    }
}
