using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Domain;
using PrintFlow.Ordering.Handlers;

namespace PrintFlow.Ordering.Tests;

/// <summary>The QuoteRefined handler over a real SQLite database, saved as the endpoint saves it.</summary>
public sealed class QuoteRefinedHandlerTests : IAsyncLifetime
{
    private OrderingDatabase _database = null!;

    public async Task InitializeAsync() => _database = await OrderingDatabase.CreateAsync();

    [Fact]
    public async Task Handle_WhenQuotedWithTheEstimate_PublishesTheExactQuoteWithTheSameStatus()
    {
        var (id, estimateId, version) = await SaveAsync(OrderStatus.Quoted);
        var exact = OrderFactory.Quote(39.90m) with { Mode = "exact" };

        await HandleAsync(new QuoteRefined(id, estimateId!.Value, exact, OrderFactory.Start.AddHours(1)));

        var order = await FindAsync(id);
        Assert.Equal((OrderStatus.Quoted, version + 1, exact.QuoteId), (order.Status, order.Version, order.QuoteId!.Value));
        var published = Assert.Single(await OutboxAsync<OrderStatusChanged>());
        Assert.Equal((OrderStatus.Quoted, version + 1, "exact", 39.90m), (published.Status, published.Version, published.Quote!.Mode, published.Quote.Amount));
    }

    [Theory]
    [InlineData(OrderStatus.Confirmed)]
    [InlineData(OrderStatus.Cancelled)]
    public async Task Handle_WhenTheOrderMovedOn_IgnoresTheRefinement(OrderStatus status)
    {
        var (id, estimateId, version) = await SaveAsync(status);

        await HandleAsync(new QuoteRefined(id, estimateId!.Value, OrderFactory.Quote(39.90m) with { Mode = "exact" }, OrderFactory.Start.AddHours(1)));

        var order = await FindAsync(id);
        Assert.Equal((status, version, estimateId), (order.Status, order.Version, order.QuoteId));
        Assert.Empty(await OutboxAsync<OrderStatusChanged>());
    }

    [Fact]
    public async Task Handle_WhileStillWaitingForTheEstimate_IsRetriedLater()
    {
        var (id, _, _) = await SaveAsync(OrderStatus.PriceCalculating);

        await Assert.ThrowsAsync<MessageOutOfOrderException>(() =>
            HandleAsync(new QuoteRefined(id, Guid.NewGuid(), OrderFactory.Quote() with { Mode = "exact" }, OrderFactory.Start.AddHours(1))));
    }

    private Task HandleAsync(QuoteRefined message) =>
        _database.HandleAsync(message, db => new QuoteRefinedHandler(db, TimeProvider.System, NullLogger<QuoteRefinedHandler>.Instance));

    private async Task<(Guid Id, Guid? QuoteId, int Version)> SaveAsync(OrderStatus status)
    {
        var order = await _database.SaveAsync(status);
        return (order.Id, order.QuoteId, order.Version);
    }

    private Task<Order> FindAsync(Guid id) => _database.FindAsync(id);

    private Task<List<T>> OutboxAsync<T>() where T : IIntegrationEvent => _database.OutboxAsync<T>();

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
