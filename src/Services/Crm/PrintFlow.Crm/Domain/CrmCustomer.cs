using PrintFlow.Contracts;

namespace PrintFlow.Crm.Domain;

/// <summary>
/// A customer as sales sees them, B2C or B2B, built only from order events and keyed by channel and the channel's
/// customer id. Order count, revenue and the first and last order times are running totals that events of different
/// orders of one customer change at the same time (a partner's orders all belong to one customer): the context stores
/// what a unit of work added to them, not what it read plus that (<see cref="Data.CrmDbContext"/>). The concurrency
/// stamp guards the contact details.
/// </summary>
public sealed class CrmCustomer
{
    private CrmCustomer()
    {
    }

    public SalesChannel Channel { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Email { get; private set; } = "";

    /// <summary>Name and email in lower case, for search.</summary>
    public string SearchText { get; private set; } = "";

    public DateTimeOffset? FirstOrderAt { get; private set; }
    public DateTimeOffset? LastOrderAt { get; private set; }
    public int OrderCount { get; private set; }
    public decimal Revenue { get; private set; }
    public string? Currency { get; private set; }
    public int ConcurrencyStamp { get; private set; }

    public static CrmCustomer From(CustomerRef customer)
    {
        var created = new CrmCustomer { Channel = customer.Channel, CustomerId = customer.CustomerId };
        created.UpdateContact(customer);
        return created;
    }

    /// <summary>Events carry the customer's current name and email; the latest wins.</summary>
    public void UpdateContact(CustomerRef customer)
    {
        if (Name == customer.Name && Email == customer.Email)
        {
            return;
        }

        Name = customer.Name;
        Email = customer.Email;
        SearchText = $"{customer.Name} {customer.Email}".ToLowerInvariant();
        ConcurrencyStamp++;
    }

    /// <summary>Counts an order seen for the first time.</summary>
    public void CountOrder(DateTimeOffset submittedAt)
    {
        OrderCount++;
        MoveOrderTimes(submittedAt);
    }

    /// <summary>An order's real submission time arrived after an estimate was used.</summary>
    public void MoveOrderTimes(DateTimeOffset submittedAt)
    {
        FirstOrderAt = FirstOrderAt is { } first && first <= submittedAt ? first : submittedAt;
        LastOrderAt = LastOrderAt is { } last && last >= submittedAt ? last : submittedAt;
    }

    public void AddRevenue(decimal amount, string currency)
    {
        Revenue += amount;
        Currency = currency;
    }
}
