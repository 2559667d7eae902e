using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Observability;

namespace PrintFlow.Resending;

/// <summary>
/// A channel that sent an order and never heard back re-sends it: submissions with no status from Ordering for
/// <see cref="ResendOptions.After"/> (doubling per re-send, up to <see cref="ResendOptions.MaxAttempts"/>) are
/// published again through the outbox, the same <see cref="OrderSubmitted"/> under a new message id. Ordering knows
/// the order id: a submission it has seen re-drives the order (its answer is a status), one it lost creates it.
/// An order still before its quote (Submitted, PriceCalculating) on the same schedule is re-sent too, though answered:
/// Ordering restored to a moment before it accepted the order (docs/operations.md) has forgotten it, and only the
/// channel can tell it again; for an order Ordering knows, that is the re-drive its own deadline would make anyway.
/// </summary>
public sealed class SubmissionResender<TDbContext, TOrder>(
    string channel,
    Func<TDbContext, TOrder, CancellationToken, Task<OrderSubmitted>> rebuild,
    IServiceScopeFactory scopes,
    IOptionsMonitor<ResendOptions> options,
    TimeProvider clock,
    ResendMetrics metrics,
    ILogger<SubmissionResender<TDbContext, TOrder>> logger) : BackgroundService
    where TDbContext : ServiceDbContext
    where TOrder : class, IResendableSubmission
{
    private const int BatchSize = 100;

    /// <summary>A sweep that re-sends starts a trace: the re-sent submissions and what Ordering does with them share it.</summary>
    private static readonly System.Diagnostics.ActivitySource Source = new("PrintFlow.Resending");

    public string Channel => channel;

    private ResendOptions Options => options.Get(channel);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Options.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "{Channel} could not look for unanswered submissions; it tries again in {Interval}", channel, Options.Interval);
            }
        }
    }

    /// <summary>One pass: re-sends what is due and returns how many submissions it re-sent.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var settings = Options;
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var orders = db.Set<TOrder>();
        var due = new List<TOrder>();
        // One indexed range per attempt (Version, Resends, LastSentAt): the back-off differs per attempt.
        for (var resends = 0; resends < settings.MaxAttempts && due.Count < BatchSize; resends++)
        {
            var sentBefore = now - settings.WaitBefore(resends);
            var attempt = resends;
            due.AddRange(await orders
                .Where(o => (o.Version == 0 || o.Status == OrderStatus.Submitted || o.Status == OrderStatus.PriceCalculating)
                            && o.Resends == attempt && o.LastSentAt <= sentBefore)
                .OrderBy(o => o.LastSentAt).Take(BatchSize - due.Count).ToListAsync(cancellationToken));
        }

        var gaveUpBefore = now - settings.WaitBefore(settings.MaxAttempts);
        var max = settings.MaxAttempts;
        metrics.Unanswered(channel, await orders.LongCountAsync(o => o.Version == 0 && o.Resends >= max && o.LastSentAt <= gaveUpBefore, cancellationToken));
        if (due.Count == 0)
        {
            return 0;
        }

        using var activity = Source.StartActivity($"{channel} resend");
        activity?.SetTag("printflow.channel", channel);
        foreach (var order in due)
        {
            db.Publish(await rebuild(db, order, cancellationToken), clock);
            logger.LogWarning("{Channel} never heard back about order {OrderNumber} (last sent {LastSentAt:u}); re-sending it, attempt {Attempt} of {MaxAttempts}",
                channel, OrderNumber.From(order.Id), order.LastSentAt, order.Resends + 1, settings.MaxAttempts);
            if (order.Resends + 1 == settings.MaxAttempts)
            {
                logger.LogError("{Channel} re-sent order {OrderNumber} for the last time; if Ordering stays silent it counts in printflow_orders_unanswered",
                    channel, OrderNumber.From(order.Id));
            }

            order.RecordResend(now);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A status arrived for one of them meanwhile: that one needs no re-send; the next sweep sees the rest.
            logger.LogInformation("{Channel}: an order changed while being re-sent; the next sweep tries again", channel);
            return 0;
        }

        metrics.Resent(channel, due.Count);
        return due.Count;
    }
}

public static class SubmissionResenderExtensions
{
    /// <summary>
    /// Re-sends the channel's unanswered submissions (options from <c>{section}:Resend</c>); <paramref name="rebuild"/>
    /// makes the <see cref="OrderSubmitted"/> the channel first sent from its stored order.
    /// </summary>
    public static IServiceCollection AddSubmissionResender<TDbContext, TOrder>(
        this IServiceCollection services, string channel, string section, Func<TDbContext, TOrder, CancellationToken, Task<OrderSubmitted>> rebuild)
        where TDbContext : ServiceDbContext
        where TOrder : class, IResendableSubmission
    {
        services.AddOptions<ResendOptions>(channel).BindConfiguration($"{section}:Resend").ValidateDataAnnotations().ValidateOnStart();
        if (services.All(d => d.ServiceType != typeof(ResendMetrics)))
        {
            services.AddMetricsSource<ResendMetrics>();
        }

        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<SubmissionResender<TDbContext, TOrder>>(sp, channel, rebuild));
        services.AddHostedService(sp => sp.GetRequiredService<SubmissionResender<TDbContext, TOrder>>());
        return services;
    }
}
