using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Webhooks;

namespace PrintFlow.Partners.Handlers;

/// <summary>
/// Keeps the partner's view of an order in step with Ordering (a late, older status changes nothing there) and stages its
/// webhook deliveries, every step once, late ones too: a receiver orders them by version.
/// </summary>
internal sealed class OrderStatusChangedHandler(PartnersDbContext db, WebhookStaging webhooks, ILogger<OrderStatusChangedHandler> logger)
    : IIntegrationEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged message, MessageContext context, CancellationToken cancellationToken)
    {
        if (message.Customer.Channel != SalesChannel.Partner)
        {
            return;
        }

        var order = await PartnerQueries.OrderAsync(db, message.OrderId, cancellationToken);
        if (order is null)
        {
            logger.LogWarning("Status {Status} v{Version} for order {OrderId}, which no partner submitted here; ignored",
                message.Status, message.Version, message.OrderId);
            return;
        }

        await webhooks.StageAsync(order, message, cancellationToken);
        if (!order.Apply(message))
        {
            logger.LogInformation("Ignored status {Status} v{Version} of order {OrderId}: the view already holds v{Current}",
                message.Status, message.Version, message.OrderId, order.Version);
        }
    }
}
