using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;

namespace PrintFlow.Crm.Handlers;

/// <summary>A new order from either channel: the customer appears (or is updated) and the order is counted.</summary>
internal sealed class OrderSubmittedHandler(CrmDbContext db, CustomerBook book, LiveFeed feed) : IIntegrationEventHandler<OrderSubmitted>
{
    public async Task HandleAsync(OrderSubmitted message, MessageContext context, CancellationToken cancellationToken)
    {
        (await book.CustomerAsync(message.Customer, cancellationToken)).UpdateContact(message.Customer); // the latest details
        await book.OrderAsync(message.OrderId, message.Customer, message.SubmittedAt, message.Items.Count, isSubmission: true, cancellationToken);
        db.AfterCommit(() => feed.Notify(CrmTopics.Customers));
    }
}
