using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Notifications.Domain;
using PrintFlow.Notifications.Rendering;

namespace PrintFlow.Notifications.Handlers;

/// <summary>
/// Emails a shop customer the steps that matter (<see cref="MessageKinds.ForStep"/>). Partners' orders are told by
/// signed webhooks, not email. Each step is keyed by its order and version, so a republished status sends nothing new.
/// </summary>
internal sealed class OrderStatusChangedHandler(NotificationWriter writer) : IIntegrationEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.Customer.Channel != SalesChannel.Shop)
        {
            return;
        }

        foreach (var step in message.Steps())
        {
            if (MessageKinds.ForStep(step) is not { } kind)
            {
                continue;
            }

            var model = new MessageModel(message.OrderId, message.Customer, step.At, message.Quote, message.Shipment, step.Reason, step.Status, step.ReasonParts);
            await writer.StageAsync($"status:{message.OrderId:N}:v{step.Version}", kind, model, cancellationToken);
        }
    }
}
