using PrintFlow.Contracts;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Tests;

/// <summary>The order view's rules on their own, without a host.</summary>
public sealed class PartnerOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_WhenVersionOlder_KeepsStatusButRecordsHistory()
    {
        var order = NewOrder();
        Assert.True(order.Apply(Status(order, OrderStatus.Quoted, 3, PartnerApi.Quote())));

        Assert.False(order.Apply(Status(order, OrderStatus.PriceCalculating, 2)));

        Assert.Equal(OrderStatus.Quoted, order.Status);
        Assert.Equal(3, order.Version);
        Assert.Equal([3, 2], order.History.Select(h => h.Version));
    }

    [Fact]
    public void Apply_WhenSameVersionRedelivered_AddsNoSecondHistoryEntry()
    {
        var order = NewOrder();
        order.Apply(Status(order, OrderStatus.Submitted, 1));

        order.Apply(Status(order, OrderStatus.Submitted, 1));

        Assert.Single(order.History);
    }

    [Fact]
    public void Apply_WhenTheEventPassedEarlierTransitions_RecordsEachOnce()
    {
        var order = NewOrder();
        var submitted = Status(order, OrderStatus.Submitted, 1);
        var calculating = Status(order, OrderStatus.PriceCalculating, 2);

        Assert.True(order.Apply(submitted.FollowedBy(calculating)));
        Assert.False(order.Apply(calculating));

        Assert.Equal((OrderStatus.PriceCalculating, 2), (order.Status, order.Version));
        Assert.Equal([(1, OrderStatus.Submitted), (2, OrderStatus.PriceCalculating)], order.History.Select(h => (h.Version, h.Status)));
    }

    [Fact]
    public void RequestConfirmation_WhenQuoteExpired_Throws()
    {
        var order = NewOrder();
        var expired = PartnerApi.Quote() with { ValidUntil = Now.AddMinutes(-1) };
        order.Apply(Status(order, OrderStatus.Quoted, 1, expired));

        var refused = Assert.Throws<PartnerOrderException>(() => order.RequestConfirmation(Now, out _));

        Assert.Equal("order.quote-expired", refused.Code);
    }

    [Fact]
    public void RequestConfirmation_WhenRejectedBefore_SendsAgain()
    {
        var order = NewOrder();
        var quote = PartnerApi.Quote() with { ValidUntil = Now.AddDays(1) };
        order.Apply(Status(order, OrderStatus.Quoted, 1, quote));
        Assert.True(order.RequestConfirmation(Now, out _));
        Assert.False(order.RequestConfirmation(Now, out _));

        order.RecordRejection(new OrderCommandRejected(order.Id, "confirm", "order.busy", "Try again.", Now));

        Assert.True(order.RequestConfirmation(Now, out var quoteId));
        Assert.Equal(quote.QuoteId, quoteId);
    }

    [Theory]
    [InlineData(OrderStatus.Printing)]
    [InlineData(OrderStatus.Shipped)]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Rejected)]
    public void RequestCancellation_WhenPrintingOrLater_Throws(OrderStatus status)
    {
        var order = NewOrder();
        order.Apply(Status(order, status, 1));

        Assert.Equal("order.not-cancellable", Assert.Throws<PartnerOrderException>(() => order.RequestCancellation(Now)).Code);
    }

    [Fact]
    public void History_WhenReadFromOutside_CannotBeChanged()
    {
        var order = NewOrder();
        order.Apply(Status(order, OrderStatus.Submitted, 1));

        Assert.False(order.History is List<OrderStatusEntry>);
        Assert.Throws<NotSupportedException>(() => ((ICollection<OrderStatusEntry>)order.History).Clear());
        Assert.Single(order.History);
    }

    [Theory]
    [InlineData(typeof(OrderItemView))]
    [InlineData(typeof(QuoteView))]
    [InlineData(typeof(QuoteLineView))]
    [InlineData(typeof(OrderStatusEntry))]
    [InlineData(typeof(OrderMessage))]
    public void JsonParts_WhenHeldByAnOrder_CannotBeChangedFromOutside(Type part)
    {
        // The order's JSON columns compare these by reference or by item, so a change in place would never be saved.
        foreach (var property in part.GetProperties())
        {
            var setter = property.SetMethod;
            Assert.True(setter is null || setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit)),
                $"{part.Name}.{property.Name} has a public setter.");
            Assert.False(property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(List<>),
                $"{part.Name}.{property.Name} is a mutable list.");
        }
    }

    private static PartnerOrder NewOrder()
    {
        var id = Guid.CreateVersion7(Now);
        return PartnerOrder.Submit(id, Guid.NewGuid(), "R-1",
            [new OrderItem(Guid.NewGuid(), new string('a', 64), "cube.stl", 684, "PLA", 1)], LeadTime.Standard, null, Now);
    }

    private static OrderStatusChanged Status(PartnerOrder order, OrderStatus status, int version, QuoteSummary? quote = null) =>
        PartnerApi.StatusChanged(order.Id, status, version, quote);
}
