using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Notifications.Domain;
using PrintFlow.Notifications.Rendering;

namespace PrintFlow.Notifications.Handlers;

/// <summary>
/// Tells a shop customer their order is late: once per stay in a state (Ordering publishes one OrderStuck per stay,
/// and the key — order, state, when it was entered — holds even if it published another).
/// </summary>
internal sealed class OrderStuckHandler(NotificationWriter writer) : IIntegrationEventHandler<OrderStuck>
{
    public Task HandleAsync(OrderStuck message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.Customer.Channel != SalesChannel.Shop)
        {
            return Task.CompletedTask;
        }

        var model = new MessageModel(message.OrderId, message.Customer, message.At, null, null, null, message.Status);
        return writer.StageAsync(
            $"stuck:{message.OrderId:N}:{message.Status}:{message.EnteredAt.UtcTicks}", MessageKind.Delayed, model, cancellationToken);
    }
}
