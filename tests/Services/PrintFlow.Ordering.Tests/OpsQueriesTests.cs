using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Data;

namespace PrintFlow.Ordering.Tests;

/// <summary>The operations page's throughput over a real SQLite history.</summary>
public sealed class OpsQueriesTests : IAsyncLifetime
{
    private OrderingDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await OrderingDatabase.CreateAsync();
        await _database.SaveAsync(OrderStatus.Confirmed); // Submitted at Start, then one move a minute: +1, +2, +3
        await _database.SaveAsync(OrderStatus.Confirmed);
        await _database.SaveAsync(OrderStatus.Submitted);
    }

    [Fact]
    public async Task Throughput_WhenOrdersMovedInTheLastHour_CountsEachStateEnteredPerWindow()
    {
        var throughput = await ThroughputAtAsync(OrderFactory.Start.AddMinutes(7)); // the last 5 minutes start at Start+2

        Assert.Equal(
            [(OrderStatus.Submitted, 0, 3, 3), (OrderStatus.PriceCalculating, 0, 2, 2), (OrderStatus.Quoted, 2, 2, 2), (OrderStatus.Confirmed, 2, 2, 2)],
            throughput.Select(t => (t.Status, t.Last5, t.Last15, t.Last60)));
        var quoted = throughput.Single(t => t.Status == OrderStatus.Quoted);
        Assert.Equal((0.4, 2 / 15.0, 2 / 60.0), (quoted.PerMinute(5), quoted.PerMinute(15), quoted.PerMinute(60)));
    }

    [Fact]
    public async Task Throughput_WhenTheLastMoveIsOlderThanAnHour_IsEmpty()
    {
        Assert.Empty(await ThroughputAtAsync(OrderFactory.Start.AddMinutes(64)));
    }

    private async Task<IReadOnlyList<Throughput>> ThroughputAtAsync(DateTimeOffset now)
    {
        await using var scope = _database.Services.CreateAsyncScope();
        var queries = new OpsQueries(scope.ServiceProvider.GetRequiredService<OrderingDbContext>(), Options.Create(new OrderingOptions()), new FakeTimeProvider(now));
        return await queries.ThroughputAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
