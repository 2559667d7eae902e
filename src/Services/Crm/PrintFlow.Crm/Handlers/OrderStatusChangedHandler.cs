using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;

namespace PrintFlow.Crm.Handlers;

/// <summary>Follows an order's status; its quote becomes the customer's revenue once the order is confirmed.</summary>
internal sealed class OrderStatusChangedHandler(CrmDbContext db, CustomerBook book, LiveFeed feed) : IIntegrationEventHandler<OrderStatusChanged>
{
    public async Task HandleAsync(OrderStatusChanged message, MessageContext context, CancellationToken cancellationToken)
    {
        // A status event reads the customer only to count the order (the first event about it) or its revenue; the
        // contact details come with submissions.
        var order = await book.OrderAsync(message.OrderId, message.Customer, message.At, message.Items.Count, isSubmission: false, cancellationToken);
        if (order.Apply(message) is { } revenue)
        {
            (await book.CustomerAsync(message.Customer, cancellationToken)).AddRevenue(revenue.Amount, revenue.Currency);
        }

        db.AfterCommit(() => feed.Notify(CrmTopics.Customers));
    }
}
