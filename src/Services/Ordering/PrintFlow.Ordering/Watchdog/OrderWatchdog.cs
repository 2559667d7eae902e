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
        var acted = 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();

        var expired = await db.Orders
            .Where(o => o.Status == OrderStatus.Quoted && o.QuoteValidUntil < now)
            .OrderBy(o => o.StatusSince).Take(BatchSize).ToListAsync(cancellationToken);
        foreach (var order in expired)
        {
            db.Publish(order.ExpireQuote(now), clock);
            logger.LogInformation("Quote of order {OrderNumber} expired; order cancelled", order.Number);
        }

        acted += expired.Count;
        foreach (var (status, deadline) in options.Value.Deadlines)
        {
            var before = now - deadline;
            var stuck = await db.Orders.StuckIn(status, deadline, now)
                .Where(o => o.RedrivenAt == null || o.RedrivenAt < before)
                .OrderBy(o => o.StatusSince).Take(BatchSize).ToListAsync(cancellationToken);
            foreach (var order in stuck)
            {
                logger.LogWarning("Order {OrderNumber} is stuck in {Status} since {Since} (deadline {Deadline}); re-driving, attempt {Attempt}",
                    order.Number, status, order.StatusSince, deadline, order.Redrives + 1);
                foreach (var message in order.Redrive(now))
                {
                    db.Publish(message, clock);
                }
            }

            acted += stuck.Count;
        }

        if (acted > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return acted;
    }
}
