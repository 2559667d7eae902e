using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Contracts;
using PrintFlow.Notifications.Data;
using PrintFlow.Notifications.Domain;
using PrintFlow.Notifications.Sending;
using PrintFlow.Testing;

namespace PrintFlow.Notifications.Tests;

/// <summary>
/// The real embedded host sending over SMTP to <see cref="SmtpSink"/>, the notifications service on a fake clock
/// of its own (so back-off is stepped, not waited for); the rest of the host keeps real time.
/// </summary>
public class NotificationsHostFixture : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://shop.example.test";
    public const int MaxAttempts = 3;

    private PrintFlowHost? _base;

    public SmtpSink Smtp { get; } = new();
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public WebApplicationFactory<Program> Host { get; private set; } = null!;
    public IServiceProvider Services => Host.Services;

    protected virtual bool SmtpUpAtStart => true;

    public async Task InitializeAsync()
    {
        if (SmtpUpAtStart)
        {
            await Smtp.StartAsync();
        }

        _base = new PrintFlowHost(new Dictionary<string, string?>
        {
            ["Notifications:PublicBaseUrl"] = PublicBaseUrl,
            ["Notifications:Delivery"] = "Smtp",
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:Timeout"] = "00:00:10",
            ["Notifications:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:RetryBaseDelay"] = "00:00:01",
            ["Notifications:RetryMaxDelay"] = "00:01:00",
            ["Notifications:PollInterval"] = "00:00:30",
            ["Logging:LogLevel:PrintFlow.Notifications"] = "Information",
        });
        Host = _base.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddKeyedSingleton<TimeProvider>(NotificationsClock.Key, Clock)));
        _ = Host.Services; // starts it
    }

    public async Task DisposeAsync()
    {
        await _base!.DisposeAsync(); // with the factory derived from it
        await Smtp.DisposeAsync();
    }

    public async Task<List<Notification>> RowsAsync(string recipient)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Notifications.AsNoTracking().Where(n => n.Recipient == recipient).ToListAsync();
    }

    /// <summary>Steps the notifications clock until <paramref name="done"/>: each step lets a waiting retry fall due.</summary>
    public Task StepClockUntilAsync(Func<Task<bool>> done, string because, TimeSpan? step = null) =>
        Eventually.UntilAsync(async () =>
        {
            if (await done())
            {
                return true;
            }

            Clock.Advance(step ?? TimeSpan.FromMilliseconds(250));
            return false;
        }, because);
}

public sealed class SmtpDownAtStartFixture : NotificationsHostFixture
{
    protected override bool SmtpUpAtStart => false;
}

/// <summary>Events as Ordering publishes them, for a shop customer of the test's own.</summary>
internal sealed class OrderStory(CustomerRef customer)
{
    public static OrderStory NewCustomer(string prefix = "c", SalesChannel channel = SalesChannel.Shop)
    {
        var id = Guid.NewGuid().ToString("N");
        return new OrderStory(new CustomerRef(id, $"Анна {id[..6]}", $"{prefix}-{id[..12]}@example.test", channel));
    }

    public CustomerRef Customer { get; } = customer;

    public string Email => Customer.Email;

    public static readonly IReadOnlyList<OrderItem> Items = [new(Guid.NewGuid(), new string('b', 64), "gear.stl", 1000, "PLA", 1)];

    public static QuoteSummary Quote(decimal amount, string mode = "instant") =>
        new(Guid.NewGuid(), amount, "RUB", mode, new DateTimeOffset(2030, 1, 2, 10, 30, 0, TimeSpan.Zero),
            [new QuoteLine("Печать / print", amount - 100), new QuoteLine("Доставка / delivery", 100)],
            [new ItemQuote(Items[0].ItemId, "gear.stl", 1200, 5000, 2.5, 12, amount - 100, [])]);

    public OrderStatusChanged Status(
        Guid orderId, OrderStatus status, OrderStatus? previous, int version, QuoteSummary? quote = null,
        string? reason = null, Shipment? shipment = null, IReadOnlyList<StatusStep>? passed = null) =>
        new(orderId, Customer, status, previous, version, DateTimeOffset.UtcNow, reason, quote, Items, passed, shipment);

    /// <summary>Submitted → PriceCalculating in one event, as Ordering publishes a new order.</summary>
    public OrderStatusChanged Received(Guid orderId) =>
        Status(orderId, OrderStatus.PriceCalculating, OrderStatus.Submitted, 2,
            passed: [new StatusStep(OrderStatus.Submitted, null, 1, DateTimeOffset.UtcNow, null)]);

    public OrderStuck Stuck(Guid orderId, OrderStatus status, DateTimeOffset enteredAt) =>
        new(orderId, Customer, status, enteredAt, enteredAt.AddHours(1), "status-republished", 1, DateTimeOffset.UtcNow);
}
