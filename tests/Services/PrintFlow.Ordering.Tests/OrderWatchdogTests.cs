using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;
using PrintFlow.Ordering.Watchdog;

namespace PrintFlow.Ordering.Tests;

/// <summary>The watchdog over a real SQLite database, with a clock the test moves.</summary>
public sealed class OrderWatchdogTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(OrderFactory.Start.AddMinutes(2)); // the factory stamps moves from Start on, a minute apart
    private OrderingDatabase _database = null!;

    public async Task InitializeAsync() => _database = await OrderingDatabase.CreateAsync(services =>
    {
        services.AddLogging();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ordering:Deadlines:PriceCalculating"] = "00:02:00",
            ["Ordering:Deadlines:Confirmed"] = "00:02:00",
        }).Build());
        services.AddSingleton<TimeProvider>(_clock);
        services.AddOptions<OrderingOptions>().BindConfiguration(OrderingOptions.Section);
        services.AddSingleton<OrderWatchdog>();
    });

    [Fact]
    public async Task Sweep_WhenPricingNeverAnswered_AsksAgainOncePerDeadline()
    {
        var id = await SaveAsync(OrderStatus.PriceCalculating);
        var watchdog = _database.Services.GetRequiredService<OrderWatchdog>();

        Assert.Equal(0, await watchdog.SweepAsync(CancellationToken.None)); // not late yet
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await watchdog.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await watchdog.SweepAsync(CancellationToken.None)); // re-driven just now: wait a deadline again
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await watchdog.SweepAsync(CancellationToken.None));

        var requests = await OutboxAsync<PriceRequested>();
        Assert.Equal([2, 3], requests.Select(r => r.Attempt));
        Assert.All(requests, r => Assert.Equal(id, r.OrderId));
        var order = await FindAsync(id);
        Assert.Equal((OrderStatus.PriceCalculating, 2), (order.Status, order.Redrives));
    }

    [Fact]
    public async Task Sweep_WhenTheFactoryNeverAcceptedAConfirmedOrder_SendsTheManufacturingRequestAgain()
    {
        var id = await SaveAsync(OrderStatus.Confirmed);
        _clock.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal(1, await _database.Services.GetRequiredService<OrderWatchdog>().SweepAsync(CancellationToken.None));

        var request = Assert.Single(await OutboxAsync<ManufacturingRequested>());
        Assert.Equal(id, request.OrderId);
        Assert.Equal(OrderStatus.Confirmed, (await FindAsync(id)).Status);
    }

    [Fact]
    public async Task Sweep_WhenAQuoteExpired_CancelsTheOrderWithTheReason()
    {
        var id = await SaveAsync(OrderStatus.Quoted);
        _clock.Advance(TimeSpan.FromDays(8));

        Assert.Equal(1, await _database.Services.GetRequiredService<OrderWatchdog>().SweepAsync(CancellationToken.None));

        var order = await FindAsync(id);
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.Contains("quote expired", order.Reason);
        var published = Assert.Single(await OutboxAsync<OrderStatusChanged>());
        Assert.Equal(OrderStatus.Cancelled, published.Status);
    }

    private async Task<Guid> SaveAsync(OrderStatus status) => (await _database.SaveAsync(status)).Id;

    private Task<Order> FindAsync(Guid id) => _database.FindAsync(id);

    private Task<List<T>> OutboxAsync<T>() where T : IIntegrationEvent => _database.OutboxAsync<T>();

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public void Advance(TimeSpan by) => _now += by;
    }
}
