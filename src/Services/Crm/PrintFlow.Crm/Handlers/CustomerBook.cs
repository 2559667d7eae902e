using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;

namespace PrintFlow.Crm.Handlers;

/// <summary>Finds or starts the customer and order an event is about, counting each order once however it is first seen.</summary>
internal sealed class CustomerBook(CrmDbContext db)
{
    /// <summary>
    /// The customer, started from <paramref name="reference"/> when new. An existing customer's contact details change
    /// only with a submission (<see cref="OrderSubmittedHandler"/>): a status event carries the details its order was
    /// submitted with, which a later order may have replaced.
    /// </summary>
    public async Task<CrmCustomer> CustomerAsync(CustomerRef reference, CancellationToken cancellationToken)
    {
        var customer = await db.Customers.FindAsync([reference.Channel, reference.CustomerId], cancellationToken);
        if (customer is null)
        {
            customer = CrmCustomer.From(reference);
            db.Customers.Add(customer);
        }

        return customer;
    }

    /// <summary>
    /// The order, opened and counted for its customer when this is the first event about it. The customer's row is
    /// read only then (or when a late submission moves its order times): most events are about an order already
    /// counted, and read nothing more.
    /// </summary>
    public async Task<CrmOrder> OrderAsync(
        Guid orderId, CustomerRef reference, DateTimeOffset submittedAt, int itemCount, bool isSubmission, CancellationToken cancellationToken)
    {
        var order = await db.FindOrderRowAsync<CrmOrder>(orderId, cancellationToken);
        if (order is null)
        {
            order = CrmOrder.Open(orderId, reference, submittedAt, itemCount, isSubmission);
            db.Orders.Add(order);
            (await CustomerAsync(reference, cancellationToken)).CountOrder(submittedAt);
        }
        else if (isSubmission && order.RecordSubmission(submittedAt, itemCount))
        {
            (await CustomerAsync(reference, cancellationToken)).MoveOrderTimes(submittedAt);
        }

        return order;
    }
}
