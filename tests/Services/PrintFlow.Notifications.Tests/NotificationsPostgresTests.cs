using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Notifications.Data;
using PrintFlow.Notifications.Domain;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Notifications.Tests;

/// <summary>The service as deployed: its own PostgreSQL database, two instances sending from it at once.</summary>
[Trait("Category", "Infrastructure")]
public sealed class NotificationsPostgresTests
{
    [Fact]
    public async Task TwoInstancesOnOneDatabase_SendEveryEmailOnce()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("notifications");
        await using var smtp = new SmtpSink();
        await smtp.StartAsync();
        var settings = PrintFlowHost.OnPostgres(("notifications", database.ConnectionString));
        settings["Notifications:Delivery"] = "Smtp";
        settings["Notifications:Smtp:Host"] = "127.0.0.1";
        settings["Notifications:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Notifications:Smtp:Security"] = "None";
        settings["Notifications:PollInterval"] = "00:00:00.050";
        settings["Notifications:BatchSize"] = "3";
        using var first = new PrintFlowHost(settings);
        using var second = new PrintFlowHost(settings);
        var story = OrderStory.NewCustomer();
        var orders = Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7()).ToList();

        // Half the events reach each instance, and every one reaches both again (a republish): one email each.
        foreach (var (order, i) in orders.Select((o, i) => (o, i)))
        {
            var quoted = story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(10m + i));
            await (i % 2 == 0 ? first : second).DispatchAsync("notifications", quoted);
            await (i % 2 == 0 ? second : first).DispatchAsync("notifications", quoted);
        }

        await Eventually.UntilAsync(() => Task.FromResult(smtp.To(story.Email).Count), n => n >= orders.Count, "every email arrives");
        await Eventually.UntilAsync(async () => (await RowsAsync(first, story.Email)).All(r => r.State == NotificationState.Sent), "every row is marked sent");
        Assert.Equal(orders.Count, smtp.To(story.Email).Count);
        Assert.Equal(orders.Count, smtp.To(story.Email).Select(m => m.MessageId).Distinct().Count());
    }

    private static async Task<List<Notification>> RowsAsync(PrintFlowHost host, string recipient)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await db.Notifications.AsNoTracking().Where(n => n.Recipient == recipient).ToListAsync();
    }
}
