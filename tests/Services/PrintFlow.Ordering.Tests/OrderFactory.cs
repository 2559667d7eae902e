using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Tests;

/// <summary>Builds an order in any state by walking the lifecycle through the domain's own methods.</summary>
internal static class OrderFactory
{
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    public static OrderSubmitted Submitted(decimal? autoConfirmBelow = null) => new(
        Guid.CreateVersion7(),
        new CustomerRef("c-1", "Ada Customer", "ada@example.com", SalesChannel.Shop),
        [new OrderItem(Guid.NewGuid(), new string('a', 64), "part.stl", 684, "PLA", 2)],
        LeadTime.Standard,
        null,
        autoConfirmBelow,
        Start);

    public static QuoteSummary Quote(decimal amount = 42.50m, DateTimeOffset? validUntil = null) => new(
        Guid.CreateVersion7(), amount, "EUR", "estimate", validUntil ?? Start.AddDays(7),
        [new QuoteLine("part.stl: material", amount)], []);

    public static Order In(OrderStatus status)
    {
        var at = Start;
        var (order, _) = Order.Submit(Submitted(), at);
        if (status == OrderStatus.Submitted) return order;
        order.StartPricing(at = at.AddMinutes(1));
        if (status == OrderStatus.PriceCalculating) return order;
        if (status == OrderStatus.Rejected) { order.Reject("unreadable", at.AddMinutes(1)); return order; }
        var quote = Quote();
        order.RecordQuote(quote, at = at.AddMinutes(1));
        if (status == OrderStatus.Quoted) return order;
        if (status == OrderStatus.Cancelled) { order.Cancel("changed my mind", at.AddMinutes(1)); return order; }
        order.Confirm(quote.QuoteId, at = at.AddMinutes(1));
        if (status == OrderStatus.Confirmed) return order;
        order.ApproveManufacturing(Guid.NewGuid(), at = at.AddMinutes(1));
        var sequence = 1;
        foreach (var stage in new[] { OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered })
        {
            if (order.Status == status) return order;
            order.AdvanceManufacturing(++sequence, stage, null, at = at.AddMinutes(1));
        }

        return order;
    }

    /// <summary>Asks the order to move to <paramref name="target"/> through the method that means that move.</summary>
    public static void Attempt(Order order, OrderStatus target, DateTimeOffset at)
    {
        switch (target)
        {
            case OrderStatus.PriceCalculating: order.StartPricing(at); break;
            case OrderStatus.Quoted: order.RecordQuote(Quote(), at); break;
            case OrderStatus.Confirmed: order.Confirm(order.QuoteId ?? Guid.NewGuid(), at); break;
            case OrderStatus.ManufacturingApproved: order.ApproveManufacturing(Guid.NewGuid(), at); break;
            case OrderStatus.Rejected: order.Reject("a reason", at); break;
            case OrderStatus.Cancelled: order.Cancel("a reason", at); break;
            default: order.AdvanceManufacturing(order.ManufacturingSequence + 1, target, null, at); break;
        }
    }
}
