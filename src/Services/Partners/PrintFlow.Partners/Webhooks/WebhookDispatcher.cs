using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using PrintFlow.Partners.Data;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// Sends due deliveries. Each endpoint has its own small number of slots (<see cref="WebhookOptions.MaxConcurrencyPerEndpoint"/>)
/// and an endpoint with all its slots busy is left out of the next look-up, so a slow or failing endpoint only ever
/// waits on itself. A delivery is claimed by moving its due time past the attempt's timeout (one instance wins the
/// claim); an instance that dies mid-attempt leaves a claim that lapses, and the delivery is sent again: at least once.
/// </summary>
public sealed class WebhookDispatcher(
    IServiceScopeFactory scopes,
    IOptionsMonitor<WebhookOptions> options,
    TimeProvider clock,
    WebhookSignal signal,
    WebhookHttp http,
    WebhookSecrets secrets,
    WebhookMetrics metrics,
    IFeatureManager features,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 200;
    private static readonly TimeSpan BacklogCountInterval = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<Guid, int> _inFlight = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private int _total;
    private long _lastBacklogCount = long.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Switched off, nothing is sent; what was staged before waits for the flag to come back on.
                if (await features.IsEnabledAsync(FeatureFlags.PartnerWebhooks))
                {
                    await DispatchDueAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(exception, "Looking for due webhook deliveries failed; trying again in {Interval}", options.CurrentValue.PollInterval);
            }

            try
            {
                await signal.WaitAsync(options.CurrentValue.PollInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        try
        {
            await Task.WhenAll(_running.Keys);
        }
        catch (OperationCanceledException)
        {
            // Attempts cut short by the shutdown: their claims lapse and another instance (or the next start) sends them.
        }
    }

    /// <summary>Claims and starts what is due now on endpoints with a free slot; returns how many it started.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
        await CountBacklogAsync(db, cancellationToken);
        if (Volatile.Read(ref _total) >= settings.MaxConcurrentDeliveries)
        {
            return 0;
        }

        var busy = _inFlight.Where(e => e.Value >= settings.MaxConcurrencyPerEndpoint).Select(e => e.Key).ToArray();
        var due = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && !busy.Contains(d.EndpointId))
            .OrderBy(d => d.NextAttemptAt)
            .Take(BatchSize)
            .Select(d => new { d.Id, d.EndpointId, d.NextAttemptAt })
            .ToListAsync(cancellationToken);
        var started = 0;
        foreach (var delivery in due)
        {
            if (Volatile.Read(ref _total) >= settings.MaxConcurrentDeliveries)
            {
                break;
            }

            if (_inFlight.GetValueOrDefault(delivery.EndpointId) >= settings.MaxConcurrencyPerEndpoint)
            {
                continue;
            }

            // The claim lasts longer than an attempt can: it lapses only if this instance died.
            var claimedUntil = now + settings.Timeout + settings.ConnectTimeout + TimeSpan.FromSeconds(30);
            var claimed = await db.WebhookDeliveries
                .Where(d => d.Id == delivery.Id && d.Status == DeliveryStatus.Pending && d.NextAttemptAt == delivery.NextAttemptAt)
                .ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, claimedUntil), cancellationToken);
            if (claimed != 1)
            {
                continue; // another instance took it, or the partner deleted the endpoint
            }

            _inFlight.AddOrUpdate(delivery.EndpointId, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _total);
            var attempt = Task.Run(() => AttemptAsync(delivery.Id, delivery.EndpointId, cancellationToken), CancellationToken.None);
            _running[attempt] = true;
            _ = attempt.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
            started++;
        }

        return started;
    }

    private async Task AttemptAsync(Guid deliveryId, Guid endpointId, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
            var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId, cancellationToken);
            var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == endpointId, cancellationToken);
            if (delivery is null || endpoint is null)
            {
                return;
            }

            var settings = options.CurrentValue;
            var body = Encoding.UTF8.GetBytes(delivery.Payload);
            var sentAt = clock.GetUtcNow();
            var headers = new Dictionary<string, string>
            {
                [WebhookSignature.Header] = WebhookSignature.Sign(endpoint.SigningKeys(secrets, sentAt), sentAt.ToUnixTimeSeconds(), body),
                ["PrintFlow-Event-Id"] = delivery.EventId.ToString(),
                ["PrintFlow-Event-Type"] = delivery.EventType,
                ["PrintFlow-Delivery-Attempt"] = (delivery.Attempts + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var started = Stopwatch.GetTimestamp();
            var response = await http.PostAsync(new Uri(endpoint.Url), body, headers, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var now = clock.GetUtcNow();
            string outcome;
            if (response.Succeeded)
            {
                delivery.Succeeded(now, response.StatusCode!.Value, response.BodyPrefix);
                outcome = "delivered";
            }
            else if (delivery.Failed(now, response.StatusCode, response.Error ?? "failed", response.BodyPrefix, settings))
            {
                outcome = "parked";
                logger.LogWarning("Webhook event {EventId} for order {OrderId} to endpoint {EndpointId} gave up after {Attempts} attempts: {Error}",
                    delivery.EventId, delivery.OrderId, endpointId, delivery.Attempts, response.Error);
            }
            else
            {
                outcome = response.Refused ? "refused" : "failed";
                logger.LogInformation("Webhook event {EventId} to endpoint {EndpointId} failed (attempt {Attempts}: {Error}); next attempt at {NextAttemptAt:u}",
                    delivery.EventId, endpointId, delivery.Attempts, response.Error, delivery.NextAttemptAt);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A redelivery request or a deletion changed the row meanwhile: that decision stands.
            }

            metrics.Attempted(outcome, elapsed);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError(exception, "Webhook delivery {DeliveryId} could not be attempted; its claim lapses and it is tried again", deliveryId);
        }
        finally
        {
            _inFlight.AddOrUpdate(endpointId, 0, (_, n) => Math.Max(0, n - 1));
            Interlocked.Decrement(ref _total);
            signal.Notify();
        }
    }

    private async Task CountBacklogAsync(PartnersDbContext db, CancellationToken cancellationToken)
    {
        var now = Stopwatch.GetTimestamp();
        if (Interlocked.Read(ref _lastBacklogCount) != long.MinValue
            && Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastBacklogCount), now) < BacklogCountInterval)
        {
            return;
        }

        Interlocked.Exchange(ref _lastBacklogCount, now);
        var failing = await db.WebhookDeliveries.LongCountAsync(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0, cancellationToken);
        var parked = await db.WebhookDeliveries.LongCountAsync(d => d.Status == DeliveryStatus.Failed, cancellationToken);
        metrics.Backlog(failing, parked);
    }
}
