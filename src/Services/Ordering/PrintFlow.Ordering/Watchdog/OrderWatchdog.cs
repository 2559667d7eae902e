using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Watchdog;

/// <summary>
/// Nothing stays stuck silently: orders past their state's deadline are logged and re-driven (price asked again,
/// factory asked again, status re-published), and quotes past their validity are expired.
/// </summary>
public sealed class OrderWatchdog(
    IServiceScopeFactory scopes,
    IOptions<OrderingOptions> options,
    TimeProvider clock,
    ILogger<OrderWatchdog> logger) : BackgroundService
{
    private const int BatchSize = 200;

    /// <summary>A sweep that acts is the root of a trace of its own: its re-drives and its moves carry that trace id.</summary>
    internal static readonly System.Diagnostics.ActivitySource Source = new("PrintFlow.Ordering");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchdogInterval, clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "The order watchdog's sweep failed; it runs again in {Interval}", options.Value.WatchdogInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass: expire quotes, re-drive stuck orders. Returns how many orders it acted on.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
        db.LocalCause = TransitionAttribution.Watchdog;

        var expired = await db.Orders
            .Where(o => o.Status == OrderStatus.Quoted && o.QuoteValidUntil < now)
            .OrderBy(o => o.StatusSince).Take(BatchSize).ToListAsync(cancellationToken);
        var stuck = new List<(Order Order, TimeSpan Deadline)>();
        foreach (var (status, deadline) in options.Value.Deadlines)
        {
            var before = now - deadline;
            stuck.AddRange((await db.Orders.StuckIn(status, deadline, now)
                .Where(o => o.RedrivenAt == null || o.RedrivenAt < before)
                .OrderBy(o => o.StatusSince).Take(BatchSize).ToListAsync(cancellationToken)).Select(o => (o, deadline)));
        }

        stuck.RemoveAll(s => expired.Contains(s.Order)); // a quote that expired is not also re-driven
        if (expired.Count + stuck.Count == 0)
        {
            return 0;
        }

        // Only a sweep that acts starts a trace; what it publishes and the moves it makes carry that trace id.
        using var activity = Source.StartActivity("ordering.watchdog sweep");
        foreach (var order in expired)
        {
            db.Publish(order.ExpireQuote(now), clock);
            logger.LogInformation("Quote of order {OrderNumber} expired; order cancelled", order.Number);
        }

        foreach (var (order, deadline) in stuck)
        {
            logger.LogWarning("Order {OrderNumber} is stuck in {Status} since {Since} (deadline {Deadline}); {Redrive}, attempt {Attempt}",
                order.Number, order.Status, order.StatusSince, deadline, order.RedriveAction, order.Redrives + 1);
            foreach (var message in order.RedriveStuck(deadline, now))
            {
                db.Publish(message, clock);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        activity?.SetTag("printflow.orders_acted_on", expired.Count + stuck.Count);
        return expired.Count + stuck.Count;
    }
}
