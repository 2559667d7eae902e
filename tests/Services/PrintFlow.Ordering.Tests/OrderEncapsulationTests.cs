using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Tests;

public sealed class OrderEncapsulationTests
{
    [Fact]
    public void History_WhenReadFromOutside_CannotBeChanged()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);

        Assert.False(order.History is List<OrderTransition>);
        Assert.True(((ICollection<OrderTransition>)order.History).IsReadOnly);
        Assert.Throws<NotSupportedException>(() => ((ICollection<OrderTransition>)order.History).Clear());
        Assert.Equal(3, order.History.Count);
    }

    [Fact]
    public void ItemsAndQuote_WhenReadTwice_AreTheSameValueNotParsedAgain()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);

        Assert.Same(order.Items, order.Items);
        Assert.Same(order.Quote, order.Quote);
    }

    [Fact]
    public void IsConfirmedWith_WhenConfirmedWithThatQuote_IsTrueAndForAnotherQuoteOrBeforeConfirmingFalse()
    {
        var quoted = OrderFactory.In(OrderStatus.Quoted);
        var confirmed = OrderFactory.In(OrderStatus.Confirmed);

        Assert.False(quoted.IsConfirmedWith(quoted.QuoteId!.Value));
        Assert.True(confirmed.IsConfirmedWith(confirmed.QuoteId!.Value));
        Assert.False(confirmed.IsConfirmedWith(Guid.NewGuid()));
    }
}
