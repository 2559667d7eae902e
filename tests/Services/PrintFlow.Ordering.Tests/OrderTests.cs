using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Tests;

public sealed class OrderTests
{
    private static readonly OrderStatus[] Targets = Enum.GetValues<OrderStatus>().Where(s => s != OrderStatus.Submitted).ToArray();

    public static TheoryData<OrderStatus, OrderStatus> AllMoves()
    {
        var data = new TheoryData<OrderStatus, OrderStatus>();
        foreach (var from in Enum.GetValues<OrderStatus>())
        {
            foreach (var to in Targets)
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Fact]
    public void Reject_WithPricingsParts_PassesThemOnForTheChannelsToWord()
    {
        var order = OrderFactory.In(OrderStatus.PriceCalculating);
        RejectionPart[] parts = [new("part.stl", "colour.unknown", "colour-unknown", ["PLA", "Gold", "Black, Red"])];

        var changed = order.Reject("part.stl: PLA does not come in 'Gold'; choose one of Black, Red.", OrderFactory.Start.AddHours(1), parts);

        Assert.Equal(OrderStatus.Rejected, changed.Status);
        Assert.Equal(parts, changed.ReasonParts);
        Assert.Equal(parts, changed.Steps().Single().ReasonParts);
    }

    [Theory]
    [MemberData(nameof(AllMoves))]
    public void Move_FromEveryStateToEveryState_SucceedsExactlyWhenTheLifecycleAllowsIt(OrderStatus from, OrderStatus to)
    {
        var order = OrderFactory.In(from);
        Assert.Equal(from, order.Status);
        var version = order.Version;
        var historyCount = order.History.Count;
        var at = OrderFactory.Start.AddHours(1);

        if (OrderLifecycle.CanMove(from, to))
        {
            OrderFactory.Attempt(order, to, at);

            Assert.Equal(to, order.Status);
            Assert.Equal(version + 1, order.Version);
            Assert.Equal(at, order.StatusSince);
            var last = order.History[^1];
            Assert.Equal((from, to, at), (last.From!.Value, last.To, last.At));
        }
        else
        {
            var refused = Assert.ThrowsAny<InvalidOperationException>(() => OrderFactory.Attempt(order, to, at));
            Assert.True(refused is IllegalTransitionException or OrderRuleException, refused.GetType().Name);
            Assert.Equal(from, order.Status);
            Assert.Equal(version, order.Version);
            Assert.Equal(historyCount, order.History.Count);
        }
    }

    [Fact]
    public void Lifecycle_HappyPath_IsTheOneDesignMdNames()
    {
        OrderStatus[] path =
        [
            OrderStatus.Submitted, OrderStatus.PriceCalculating, OrderStatus.Quoted, OrderStatus.Confirmed,
            OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck,
            OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered,
        ];

        var order = OrderFactory.In(OrderStatus.Delivered);

        Assert.Equal(path, order.History.Select(t => t.To));
        Assert.Equal(path.Length, order.Version);
        Assert.True(order.History.Zip(order.History.Skip(1)).All(p => p.First.At < p.Second.At));
    }

    [Fact]
    public void AdvanceManufacturing_WhenQualityCheckFails_GoesBackToPrintingWithTheReason()
    {
        var order = OrderFactory.In(OrderStatus.QualityCheck);

        var changed = order.AdvanceManufacturing(order.ManufacturingSequence + 1, OrderStatus.Printing, "Layer shift at 12 mm", OrderFactory.Start.AddDays(1));

        Assert.Equal(OrderStatus.Printing, order.Status);
        Assert.Equal(OrderStatus.QualityCheck, changed.Previous);
        Assert.Equal("Layer shift at 12 mm", changed.Reason);
        Assert.Equal("Layer shift at 12 mm", order.History[^1].Reason);
    }

    [Fact]
    public void Confirm_WhenQuoteExpired_IsRefusedWithAReason()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);

        var refused = Assert.Throws<OrderRuleException>(() => order.Confirm(order.QuoteId!.Value, OrderFactory.Start.AddDays(30)));

        Assert.Equal("quote.expired", refused.Code);
        Assert.Equal(OrderStatus.Quoted, order.Status);
    }

    [Fact]
    public void Confirm_WhenQuoteIsNotTheCurrentOne_IsRefused()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);

        var refused = Assert.Throws<OrderRuleException>(() => order.Confirm(Guid.NewGuid(), OrderFactory.Start.AddHours(1)));

        Assert.Equal("quote.mismatch", refused.Code);
    }

    [Fact]
    public void Confirm_WhenQuoted_RequestsManufacturingWithEverythingMesNeeds()
    {
        var order = OrderFactory.In(OrderStatus.Quoted);

        var (changed, request) = order.Confirm(order.QuoteId!.Value, OrderFactory.Start.AddHours(1));

        Assert.Equal(OrderStatus.Confirmed, changed.Status);
        Assert.Equal(order.Id, request.OrderId);
        Assert.Equal(order.Items, request.Items);
        Assert.Equal(order.QuoteId, request.Quote.QuoteId);
        Assert.Equal("Ada Customer", request.Customer.Name);
    }

    [Theory]
    [InlineData(OrderStatus.Confirmed, true)]
    [InlineData(OrderStatus.ManufacturingApproved, true)]
    [InlineData(OrderStatus.Quoted, false)]
    [InlineData(OrderStatus.Submitted, false)]
    public void Cancel_BeforePrinting_WithdrawsFromTheFactoryOnlyWhenItHasTheJob(OrderStatus from, bool withdraw)
    {
        var order = OrderFactory.In(from);

        var (changed, withdrawFromFactory) = order.Cancel("No longer needed", OrderFactory.Start.AddDays(1));

        Assert.Equal(OrderStatus.Cancelled, changed.Status);
        Assert.Equal(withdraw, withdrawFromFactory);
    }

    [Fact]
    public void Cancel_WhenPrinting_IsRefusedWithAReasonAPersonUnderstands()
    {
        var order = OrderFactory.In(OrderStatus.Printing);

        var refused = Assert.Throws<OrderRuleException>(() => order.Cancel("too late", OrderFactory.Start.AddDays(1)));

        Assert.Equal("order.cannot-cancel", refused.Code);
        Assert.Contains("already in production", refused.Message);
    }

    [Fact]
    public void Submit_WhenAutoConfirmLimitCoversTheQuote_ShouldAutoConfirm()
    {
        var (order, _) = Order.Submit(OrderFactory.Submitted(autoConfirmBelow: 50m), OrderFactory.Start);
        order.StartPricing(OrderFactory.Start);
        order.RecordQuote(OrderFactory.Quote(42.50m), OrderFactory.Start);

        Assert.True(order.ShouldAutoConfirm);
    }

    [Fact]
    public void StatusChanged_VersionGrowsByOnePerTransition()
    {
        var (order, submitted) = Order.Submit(OrderFactory.Submitted(), OrderFactory.Start);
        var (pricing, request) = order.StartPricing(OrderFactory.Start);
        var quoted = order.RecordQuote(OrderFactory.Quote(), OrderFactory.Start);

        Assert.Equal([1, 2, 3], new[] { submitted.Version, pricing.Version, quoted.Version });
        Assert.Equal(1, request.Attempt);
        Assert.NotNull(quoted.Quote);
    }

    [Theory]
    [InlineData(OrderStatus.Quoted)]
    [InlineData(OrderStatus.Printing)]
    [InlineData(OrderStatus.Delivered)]
    public void Redrive_WhereAPersonMustAct_RepublishesTheCurrentStatusWithoutMoving(OrderStatus status)
    {
        var order = OrderFactory.In(status);
        var version = order.Version;

        var published = Assert.Single(order.Redrive(OrderFactory.Start.AddDays(3)));

        var changed = Assert.IsType<OrderStatusChanged>(published);
        Assert.Equal((status, version), (changed.Status, changed.Version));
        Assert.Equal((status, version, 1), (order.Status, order.Version, order.Redrives));
        Assert.Equal(order.StatusSince, changed.At);
    }
}
