using PrintFlow.Contracts;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>Manufacturing requests as Ordering sends them.</summary>
public static class Jobs
{
    public static ManufacturingRequested Request(
        Guid? orderId = null,
        LeadTime leadTime = LeadTime.Standard,
        DateTimeOffset? dueDate = null,
        string material = "PLA",
        string customer = "Ada Customer",
        SalesChannel channel = SalesChannel.Shop,
        DateTimeOffset? requestedAt = null)
    {
        var id = orderId ?? Guid.CreateVersion7();
        var now = requestedAt ?? DateTimeOffset.UtcNow;
        var itemId = Guid.NewGuid();
        return new ManufacturingRequested(
            id,
            new CustomerRef("customer-" + id.ToString("N")[..8], customer, "ada@example.com", channel),
            [new OrderItem(itemId, new string('a', 64), "bracket.stl", 684, material, 2)],
            leadTime,
            dueDate,
            new QuoteSummary(Guid.NewGuid(), 42.50m, "EUR", "instant", now.AddDays(7),
                [new QuoteLine("bracket.stl × 2", 42.50m)],
                [new ItemQuote(itemId, "bracket.stl", 12, 8000, 1.5, 10, 42.50m, [])]),
            now);
    }
}
