using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Domain;
using PrintFlow.Ordering.Watchdog;

namespace PrintFlow.Ordering.Tests;

/// <summary>The watchdog over a real SQLite database, with a clock the test moves.</summary>
public sealed class OrderWatchdogTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(OrderFactory.Start.AddMinutes(2)); // the factory stamps moves from Start on, a minute apart
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

    [Fact]
    public async Task Sweep_WhenAnOrderStaysStuck_PublishesOrderStuckOncePerStayInAState()
    {
        var id = await SaveAsync(OrderStatus.PriceCalculating);
        var watchdog = _database.Services.GetRequiredService<OrderWatchdog>();
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await watchdog.SweepAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(1, await watchdog.SweepAsync(CancellationToken.None)); // re-driven again, not reported again

        var stuck = Assert.Single(await OutboxAsync<OrderStuck>());
        Assert.Equal((id, OrderStatus.PriceCalculating, "price-requested-again", 1), (stuck.OrderId, stuck.Status, stuck.Redrive, stuck.Attempt));
        Assert.Equal(OrderFactory.Start.AddMinutes(1), stuck.EnteredAt); // the factory entered PriceCalculating a minute after Start
        Assert.Equal(stuck.EnteredAt + TimeSpan.FromMinutes(2), stuck.DeadlineAt);
        Assert.Equal(OrderFactory.Start.AddMinutes(5), stuck.At);
        Assert.Equal("Ada Customer", stuck.Customer.Name);
    }

    [Fact]
    public async Task Sweep_WhenARecoveredOrderGetsStuckInItsNextState_ReportsTheNewStayAgain()
    {
        var id = await SaveAsync(OrderStatus.PriceCalculating);
        var watchdog = _database.Services.GetRequiredService<OrderWatchdog>();
        _clock.Advance(TimeSpan.FromMinutes(3));
        await watchdog.SweepAsync(CancellationToken.None);
        await MoveAsync(id, order =>
        {
            var quote = OrderFactory.Quote(validUntil: _clock.GetUtcNow().AddDays(30));
            order.RecordQuote(quote, _clock.GetUtcNow());
            order.Confirm(quote.QuoteId, _clock.GetUtcNow());
        });
        _clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(1, await watchdog.SweepAsync(CancellationToken.None));

        var reports = await OutboxAsync<OrderStuck>();
        Assert.Equal([(OrderStatus.PriceCalculating, "price-requested-again"), (OrderStatus.Confirmed, "manufacturing-requested-again")],
            reports.Select(r => (r.Status, r.Redrive)));
    }

    [Fact]
    public async Task Sweep_WhenItCancelsAnExpiredQuote_RecordsTheWatchdogAsTheCauseWithATraceId()
    {
        var id = await SaveAsync(OrderStatus.Quoted);
        _clock.Advance(TimeSpan.FromDays(8));
        using var listener = RecordAll();

        await _database.Services.GetRequiredService<OrderWatchdog>().SweepAsync(CancellationToken.None);

        var cancelled = (await _database.TransitionsAsync(id)).Last();
        Assert.Equal((OrderStatus.Cancelled, "ordering.watchdog", "Ordering"), (cancelled.To, cancelled.Cause, cancelled.CausedBy));
        Assert.Matches("^[0-9a-f]{32}$", cancelled.TraceId);
    }

    /// <summary>As the host does without an exporter: ids propagate, nothing is recorded.</summary>
    internal static System.Diagnostics.ActivityListener RecordAll()
    {
        var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("PrintFlow", StringComparison.Ordinal),
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.PropagationData,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private async Task MoveAsync(Guid id, Action<Order> move)
    {
        await using var scope = _database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrintFlow.Ordering.Data.OrderingDbContext>();
        var order = await db.Orders.FindAsync(id);
        move(order!);
        await db.SaveChangesAsync();
    }

    private async Task<Guid> SaveAsync(OrderStatus status) => (await _database.SaveAsync(status)).Id;

    private Task<Order> FindAsync(Guid id) => _database.FindAsync(id);

    private Task<List<T>> OutboxAsync<T>() where T : IIntegrationEvent => _database.OutboxAsync<T>();

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
