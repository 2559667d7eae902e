using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Resending;
using PrintFlow.ServiceDefaults.Observability;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Tests;

/// <summary>The channel's re-send of unanswered submissions, over a real SQLite shop database and a clock the test moves.</summary>
public sealed class SubmissionResenderTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"shop-resend-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly ServiceProvider _services;

    public SubmissionResenderTests()
    {
        var services = new ServiceCollection();
        services.AddLogging().AddMetrics();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Shop:Resend:After"] = "00:02:00",
            ["Shop:Resend:MaxAttempts"] = "3",
        }).Build());
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<PrintFlowMetrics>();
        services.AddDbContext<ShopDbContext>(o => o.UseSqlite($"Data Source={_file}"));
        services.AddSubmissionResender<ShopDbContext, ShopOrder>("shop", "Shop", (_, order, _) => Task.FromResult(order.ToSubmitted()));
        _services = services.BuildServiceProvider();
        using var scope = _services.CreateScope();
        scope.ServiceProvider.GetRequiredService<ShopDbContext>().Database.EnsureCreated();
    }

    private SubmissionResender<ShopDbContext, ShopOrder> Resender => _services.GetRequiredService<SubmissionResender<ShopDbContext, ShopOrder>>();

    [Fact]
    public async Task Sweep_WhenOrderingNeverAnswers_ResendsTheSameSubmissionWithDoublingWaitsUpToMaxAttempts()
    {
        var order = await SubmitAsync();
        var resentAt = new List<TimeSpan>();
        for (var minute = 0; minute <= 60; minute++)
        {
            _clock.SetUtcNow(Start.AddMinutes(minute));
            if (await Resender.SweepAsync(CancellationToken.None) == 1)
            {
                resentAt.Add(TimeSpan.FromMinutes(minute));
            }
        }

        Assert.Equal([TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2 + 4), TimeSpan.FromMinutes(2 + 4 + 8)], resentAt);
        var resent = await OutboxAsync();
        Assert.Equal(3, resent.Count);
        Assert.Equal(3, resent.Select(m => m.MessageId).Distinct().Count()); // new message ids, one order id
        Assert.All(resent, message =>
        {
            var submitted = (OrderSubmitted)MessageSerializer.Deserialize(message.ToEnvelope());
            Assert.Equal((order.Id, Start, SalesChannel.Shop), (submitted.OrderId, submitted.SubmittedAt, submitted.Customer.Channel));
            Assert.Equal(order.Items, submitted.Items);
        });
        var stored = await FindAsync(order.Id);
        Assert.Equal((3, (DateTimeOffset?)Start.AddMinutes(14)), (stored.Resends, stored.LastSentAt));
    }

    [Fact]
    public async Task Sweep_WhenOrderingAnsweredWithAQuote_NeverResends()
    {
        var order = await SubmitAsync();
        await AnswerAsync(order, OrderStatus.Quoted);
        _clock.SetUtcNow(Start.AddDays(1));

        Assert.Equal(0, await Resender.SweepAsync(CancellationToken.None));
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task Sweep_WhenAnAnsweredOrderStaysBeforeItsQuote_ResendsItSoAnOrderingThatForgotItCreatesItAgain()
    {
        var order = await SubmitAsync();
        await AnswerAsync(order, OrderStatus.PriceCalculating);
        _clock.SetUtcNow(Start.AddMinutes(1));
        Assert.Equal(0, await Resender.SweepAsync(CancellationToken.None));

        _clock.SetUtcNow(Start.AddMinutes(2));

        Assert.Equal(1, await Resender.SweepAsync(CancellationToken.None));
        var submitted = (OrderSubmitted)MessageSerializer.Deserialize(Assert.Single(await OutboxAsync()).ToEnvelope());
        Assert.Equal(order.Id, submitted.OrderId);
    }

    private async Task AnswerAsync(ShopOrder order, OrderStatus status)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        var tracked = await db.Orders.SingleAsync(o => o.Id == order.Id);
        tracked.Apply(new OrderStatusChanged(order.Id, tracked.CustomerRef, status, null, 1, Start.AddSeconds(1), null, null, tracked.Items));
        await db.SaveChangesAsync();
    }

    private async Task<ShopOrder> SubmitAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
        var customer = Customer.Register("resend@example.com", "Re Send", Start);
        db.Customers.Add(customer);
        var order = ShopOrder.Submit(customer, [new OrderItem(Guid.NewGuid(), new string('b', 64), "part.stl", 684, "PETG", 3)], LeadTime.Express, Start);
        db.Orders.Add(order);
        await db.SaveChangesAsync(); // what the upload endpoint sends is not in this outbox: only re-sends are
        return order;
    }

    private async Task<ShopOrder> FindAsync(Guid id)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ShopDbContext>().Orders.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    private async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ShopDbContext>().Outbox.AsNoTracking()
            .Where(m => m.Name == MessageTypes.NameOf<OrderSubmitted>()).OrderBy(m => m.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
