using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;

namespace PrintFlow.Crm.Handlers;

/// <summary>A new shop account: sales sees the customer at once, with no orders yet. An order seen first keeps its details.</summary>
internal sealed class CustomerRegisteredHandler(CrmDbContext db, CustomerBook book, LiveFeed feed) : IIntegrationEventHandler<CustomerRegistered>
{
    public async Task HandleAsync(CustomerRegistered message, MessageContext context, CancellationToken cancellationToken)
    {
        await book.CustomerAsync(new CustomerRef(message.CustomerId.ToString(), message.Name, message.Email, SalesChannel.Shop), cancellationToken);
        db.AfterCommit(() => feed.Notify(CrmTopics.Customers));
    }
}
