using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Partners.Data;

namespace PrintFlow.Partners.Handlers;

/// <summary>Keeps Ordering's refusal of a confirm or cancel as the order's last message for the partner.</summary>
internal sealed class OrderCommandRejectedHandler(PartnersDbContext db) : IIntegrationEventHandler<OrderCommandRejected>
{
    public async Task HandleAsync(OrderCommandRejected message, MessageContext context, CancellationToken cancellationToken)
    {
        var order = await PartnerQueries.OrderAsync(db, message.OrderId, cancellationToken);
        order?.RecordRejection(message);
    }
}
