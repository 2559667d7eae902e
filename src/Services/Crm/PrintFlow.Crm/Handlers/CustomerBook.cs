using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;
using PrintFlow.Messaging;

namespace PrintFlow.Crm.Handlers;

/// <summary>Finds or starts the customer and order an event is about, counting each order once however it is first seen.</summary>
internal sealed class CustomerBook(CrmDbContext db)
{
    // Compiled (CompiledQuery): every event CRM applies asks for its order unless its batch loaded it, and every new
    // order for its customer; FindAsync would build a LINQ query and look it up in EF's query cache on each call.
    private static readonly CompiledQuery<Func<CrmDbContext, SalesChannel, string, CancellationToken, Task<CrmCustomer?>>> CustomerByKey = new(() =>
        EF.CompileAsyncQuery((CrmDbContext db, SalesChannel channel, string customerId, CancellationToken _) =>
            db.Customers.FirstOrDefault(c => c.Channel == channel && c.CustomerId == customerId)));

    private static readonly CompiledQuery<Func<CrmDbContext, Guid, CancellationToken, Task<CrmOrder?>>> OrderById = new(() =>
        EF.CompileAsyncQuery((CrmDbContext db, Guid orderId, CancellationToken _) => db.Orders.FirstOrDefault(o => o.OrderId == orderId)));

    /// <summary>
    /// The customer, started from <paramref name="reference"/> when new. An existing customer's contact details change
    /// only with a submission (<see cref="OrderSubmittedHandler"/>): a status event carries the details its order was
    /// submitted with, which a later order may have replaced.
    /// </summary>
    public async Task<CrmCustomer> CustomerAsync(CustomerRef reference, CancellationToken cancellationToken)
    {
        var customer = db.ChangeTracker.WithoutDetectingChanges(
                () => db.Customers.Local.FindEntryUntyped([reference.Channel, reference.CustomerId])?.Entity)
            ?? await CustomerByKey.For(db)(db, reference.Channel, reference.CustomerId, cancellationToken);
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
        var order = await db.FindOrderRowAsync(orderId, () => OrderById.For(db)(db, orderId, cancellationToken));
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
