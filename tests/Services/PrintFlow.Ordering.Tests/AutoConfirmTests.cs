using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Tests;

/// <summary>The auto-confirm rule at the aggregate: both the quote and the refinement handlers call <see cref="Order.AutoConfirm"/>.</summary>
public sealed class AutoConfirmTests
{
    private static Order Quoted(decimal? limit, decimal amount)
    {
        var (order, _) = Order.Submit(OrderFactory.Submitted(autoConfirmBelow: limit), OrderFactory.Start);
        order.StartPricing(OrderFactory.Start.AddMinutes(1));
        order.RecordQuote(OrderFactory.Quote(amount), OrderFactory.Start.AddMinutes(2));
        return order;
    }

    [Theory]
    [InlineData(42.50)]
    [InlineData(50)]
    public void AutoConfirm_WhenTheLimitCoversTheQuote_ConfirmsAndRequestsManufacturing(double amount)
    {
        var order = Quoted(limit: 50m, (decimal)amount);
        var at = OrderFactory.Start.AddMinutes(3);

        var messages = order.AutoConfirm(at);

        Assert.Equal(OrderStatus.Confirmed, order.Status);
        var changed = Assert.IsType<OrderStatusChanged>(messages[0]);
        Assert.Equal((OrderStatus.Confirmed, at), (changed.Status, changed.At));
        var request = Assert.IsType<ManufacturingRequested>(messages[1]);
        Assert.Equal(order.QuoteId, request.Quote.QuoteId);
        Assert.Equal(2, messages.Count);
    }

    [Theory]
    [InlineData(null, 42.50)]
    [InlineData(40.0, 42.50)]
    public void AutoConfirm_WhenNoLimitOrTheQuoteExceedsIt_LeavesTheOrderQuoted(double? limit, double amount)
    {
        var order = Quoted((decimal?)limit, (decimal)amount);
        var version = order.Version;

        Assert.Empty(order.AutoConfirm(OrderFactory.Start.AddMinutes(3)));
        Assert.Equal((OrderStatus.Quoted, version), (order.Status, order.Version));
    }

    [Fact]
    public void AutoConfirm_WhenTheExactQuoteFallsUnderTheLimit_ConfirmsTheExactQuote()
    {
        var order = Quoted(limit: 50m, 60m);
        Assert.Empty(order.AutoConfirm(OrderFactory.Start.AddMinutes(3)));
        var exact = OrderFactory.Quote(39.90m) with { Mode = "exact" };
        order.RefineQuote(order.QuoteId!.Value, exact, OrderFactory.Start.AddMinutes(4));

        var messages = order.AutoConfirm(OrderFactory.Start.AddMinutes(5));

        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(exact.QuoteId, Assert.IsType<ManufacturingRequested>(messages[1]).Quote.QuoteId);
    }

    [Theory]
    [InlineData(OrderStatus.PriceCalculating)]
    [InlineData(OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Cancelled)]
    public void AutoConfirm_WhenNotWaitingForConfirmation_DoesNothing(OrderStatus status)
    {
        var order = OrderFactory.In(status);
        var version = order.Version;

        Assert.Empty(order.AutoConfirm(OrderFactory.Start.AddHours(1)));
        Assert.Equal((status, version), (order.Status, order.Version));
    }
}
