using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;
using PrintFlow.Ordering.Handlers;

namespace PrintFlow.Ordering.Tests;

/// <summary>
/// An order's transitions in one transaction leave Ordering as one status event that lists the earlier ones; over a
/// real SQLite database, saved as the endpoint saves it.
/// </summary>
public sealed class StatusEventCoalescingTests : IAsyncLifetime
{
    private OrderingDatabase _database = null!;

    public async Task InitializeAsync() => _database = await OrderingDatabase.CreateAsync();

    [Fact]
    public async Task Submitted_PublishesOneStatusEventThatPassedSubmitted()
    {
        var submitted = OrderFactory.Submitted();

        await _database.HandleAsync(submitted, db => new OrderSubmittedHandler(db, TimeProvider.System, NullLogger<OrderSubmittedHandler>.Instance));

        var published = Assert.Single(await _database.OutboxAsync<OrderStatusChanged>());
        Assert.Equal((OrderStatus.PriceCalculating, OrderStatus.Submitted, 2), (published.Status, published.Previous, published.Version));
        Assert.Equal(
            [(OrderStatus.Submitted, (OrderStatus?)null, 1), (OrderStatus.PriceCalculating, OrderStatus.Submitted, 2)],
            published.Steps().Select(s => (s.Status, s.Previous, s.Version)));
        Assert.Single(await _database.OutboxAsync<PriceRequested>());
        Assert.Equal([OrderStatus.Submitted, OrderStatus.PriceCalculating], (await _database.TransitionsAsync(submitted.OrderId)).Select(t => t.To));
    }

    [Fact]
    public async Task Submitted_StoresTheStatusEventsChannelAsItsRouteAndNoneForThePriceRequest()
    {
        var submitted = OrderFactory.Submitted();

        await _database.HandleAsync(submitted, db => new OrderSubmittedHandler(db, TimeProvider.System, NullLogger<OrderSubmittedHandler>.Instance));

        await using var scope = _database.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Outbox.AsNoTracking().ToListAsync();
        var status = rows.Single(r => r.Name == MessageTypes.NameOf<OrderStatusChanged>());
        Assert.Equal(submitted.Customer.Channel == SalesChannel.Shop ? "shop" : "partner", status.Route);
        Assert.Equal(status.Route, status.ToEnvelope().Route);
        Assert.Null(rows.Single(r => r.Name == MessageTypes.NameOf<PriceRequested>()).Route);
    }

    [Fact]
    public async Task PriceCalculated_WhenAutoConfirmed_PublishesConfirmedThatPassedQuoted()
    {
        var submitted = OrderFactory.Submitted(autoConfirmBelow: 100m);
        await _database.HandleAsync(submitted, db => new OrderSubmittedHandler(db, TimeProvider.System, NullLogger<OrderSubmittedHandler>.Instance));
        var quote = OrderFactory.Quote(42.50m, validUntil: DateTimeOffset.UtcNow.AddDays(7));

        await _database.HandleAsync(new PriceCalculated(submitted.OrderId, quote, DateTimeOffset.UtcNow),
            db => new PriceCalculatedHandler(db, TimeProvider.System, NullLogger<PriceCalculatedHandler>.Instance));

        var events = await _database.OutboxAsync<OrderStatusChanged>();
        Assert.Equal(2, events.Count);
        var confirmed = events[1];
        Assert.Equal((OrderStatus.Confirmed, 4, quote.QuoteId), (confirmed.Status, confirmed.Version, confirmed.Quote!.QuoteId));
        Assert.Equal([(OrderStatus.Quoted, 3), (OrderStatus.Confirmed, 4)], confirmed.Steps().Select(s => (s.Status, s.Version)));
        Assert.Single(await _database.OutboxAsync<ManufacturingRequested>());
    }

    [Fact]
    public async Task Publish_AfterTheEarlierEventWasSaved_PublishesItOnItsOwn()
    {
        var order = await _database.SaveAsync(OrderStatus.Quoted);
        await using var scope = _database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
        var tracked = await db.FindOrderAsync(order.Id, CancellationToken.None);
        var (confirmed, _) = tracked.Confirm(tracked.QuoteId!.Value, OrderFactory.Start.AddHours(1));
        db.Publish(confirmed);
        await db.SaveChangesAsync();

        db.Publish(tracked.ApproveManufacturing(Guid.NewGuid(), OrderFactory.Start.AddHours(2)));
        await db.SaveChangesAsync();

        var events = await _database.OutboxAsync<OrderStatusChanged>();
        Assert.Equal([(OrderStatus.Confirmed, (IReadOnlyList<StatusStep>?)null), (OrderStatus.ManufacturingApproved, null)],
            events.Select(e => (e.Status, e.Passed)));
    }

    [Fact]
    public void FollowedBy_AnEarlierVersion_IsRefused()
    {
        var order = OrderFactory.In(OrderStatus.Submitted);
        var (later, _) = order.StartPricing(OrderFactory.Start.AddMinutes(1));
        var earlier = later with { Status = OrderStatus.Submitted, Previous = null, Version = 1 };

        Assert.Throws<ArgumentException>(() => later.FollowedBy(earlier));
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
