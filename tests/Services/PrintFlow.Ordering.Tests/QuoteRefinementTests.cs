using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Tests;

/// <summary>Exact mode replaces an estimate only while the order waits for confirmation of that estimate.</summary>
public sealed class QuoteRefinementTests
{
    private static QuoteSummary Exact(decimal amount = 39.90m) => OrderFactory.Quote(amount) with { QuoteId = Guid.CreateVersion7(), Mode = "exact" };

    [Fact]
    public void RefineQuote_WhenQuotedWithTheEstimate_ReplacesTheQuoteWithANewVersionAndTheSameStatus()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);
        var estimateId = order.QuoteId!.Value;
        var (version, history, since) = (order.Version, order.History.Count, order.StatusSince);
        var exact = Exact();
        var at = OrderFactory.Start.AddHours(1);

        var changed = order.RefineQuote(estimateId, exact, at);

        Assert.Equal(OrderStatus.Quoted, order.Status);
        Assert.Equal(version + 1, order.Version);
        Assert.Equal(history, order.History.Count);
        Assert.Equal(since, order.StatusSince);
        Assert.Equal((exact.QuoteId, exact.Amount, exact.ValidUntil), (order.QuoteId!.Value, order.QuoteAmount!.Value, order.QuoteValidUntil!.Value));
        Assert.Equal((OrderStatus.Quoted, (OrderStatus?)OrderStatus.Quoted, version + 1, at), (changed.Status, changed.Previous, changed.Version, changed.At));
        Assert.Equal("exact", changed.Quote!.Mode);
        Assert.Equal(exact.QuoteId, changed.Quote.QuoteId);
        Assert.Null(changed.Reason);
    }

    [Theory]
    [InlineData(OrderStatus.PriceCalculating)]
    [InlineData(OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Cancelled)]
    [InlineData(OrderStatus.Printing)]
    public void RefineQuote_WhenTheOrderMovedOn_IsRefusedAndChangesNothing(OrderStatus status)
    {
        var order = OrderFactory.In(status);
        var (version, quoteId) = (order.Version, order.QuoteId);

        Assert.False(order.AcceptsRefinementOf(quoteId ?? Guid.NewGuid()));
        var refused = Assert.Throws<OrderRuleException>(() => order.RefineQuote(quoteId ?? Guid.NewGuid(), Exact(), OrderFactory.Start.AddHours(1)));

        Assert.Equal("quote.not-refinable", refused.Code);
        Assert.Equal((status, version, quoteId), (order.Status, order.Version, order.QuoteId));
    }

    [Fact]
    public void RefineQuote_WhenTheCurrentQuoteIsAnotherOne_IsRefused()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);
        var version = order.Version;

        Assert.False(order.AcceptsRefinementOf(Guid.NewGuid()));
        Assert.Throws<OrderRuleException>(() => order.RefineQuote(Guid.NewGuid(), Exact(), OrderFactory.Start.AddHours(1)));
        Assert.Equal(version, order.Version);
    }

    [Fact]
    public void Confirm_WithTheEstimateAfterARefinement_IsRefusedSayingTheQuoteWasUpdatedWithExactFigures()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);
        var estimateId = order.QuoteId!.Value;
        order.RefineQuote(estimateId, Exact(39.90m), OrderFactory.Start.AddHours(1));

        var refused = Assert.Throws<OrderRuleException>(() => order.Confirm(estimateId, OrderFactory.Start.AddHours(2)));

        Assert.Equal("quote.mismatch", refused.Code);
        Assert.Contains("updated with exact figures", refused.Message);
        Assert.Contains("39.90 EUR", refused.Message);
        Assert.Equal(OrderStatus.Quoted, order.Status);
    }

    [Fact]
    public void Confirm_WithTheRefinedQuote_Confirms()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);
        var exact = Exact();
        order.RefineQuote(order.QuoteId!.Value, exact, OrderFactory.Start.AddHours(1));

        var (changed, request) = order.Confirm(exact.QuoteId, OrderFactory.Start.AddHours(2));

        Assert.Equal(OrderStatus.Confirmed, changed.Status);
        Assert.Equal(exact.QuoteId, request.Quote.QuoteId);
        Assert.Equal("exact", request.Quote.Mode);
    }

    [Fact]
    public void RefineQuote_WhenTheExactPriceIsUnderTheAutoConfirmLimit_ShouldAutoConfirm()
    {
        var (order, _) = Order.Submit(OrderFactory.Submitted(autoConfirmBelow: 40m), OrderFactory.Start);
        order.StartPricing(OrderFactory.Start.AddMinutes(1));
        var estimate = OrderFactory.Quote(42.50m);
        order.RecordQuote(estimate, OrderFactory.Start.AddMinutes(2));
        Assert.False(order.ShouldAutoConfirm);

        order.RefineQuote(estimate.QuoteId, Exact(39.90m), OrderFactory.Start.AddMinutes(3));

        Assert.True(order.ShouldAutoConfirm);
    }
}
