using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// Stages one delivery per status step per subscribed endpoint in the handler's unit of work, so it commits with the
/// inbox row of the event (nothing lost) and a repeated or re-driven status adds nothing (one event id per step).
/// </summary>
public sealed class WebhookStaging(PartnersDbContext db, TimeProvider clock, WebhookSignal signal)
{
    public async Task StageAsync(PartnerOrder order, OrderStatusChanged change, CancellationToken cancellationToken)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.PartnerId == order.PartnerId)
            .ToListAsync(cancellationToken);
        endpoints.RemoveAll(e => !e.Wants(WebhookEvents.OrderStatusChanged));
        if (endpoints.Count == 0)
        {
            return;
        }

        var endpointIds = endpoints.Select(e => e.Id).ToArray();
        var staged = (await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.OrderId == order.Id && endpointIds.Contains(d.EndpointId))
                .Select(d => d.EventId)
                .ToListAsync(cancellationToken))
            .ToHashSet();
        staged.UnionWith(db.ChangeTracker.Entries<WebhookDelivery>().Where(e => e.Entity.OrderId == order.Id).Select(e => e.Entity.EventId));

        var now = clock.GetUtcNow();
        foreach (var step in change.Steps())
        {
            foreach (var endpoint in endpoints)
            {
                var eventId = WebhookEvents.EventId(endpoint.Id, order.Id, step.Version, WebhookEvents.OrderStatusChanged);
                if (staged.Add(eventId))
                {
                    var payload = WebhookEvents.StatusChangedPayload(eventId, change, step, order.OrderNumber, order.Reference);
                    db.WebhookDeliveries.Add(WebhookDelivery.Stage(endpoint, eventId, WebhookEvents.OrderStatusChanged, order.Id, step.Version, payload, now));
                }
            }
        }

        db.AfterCommit(signal.Notify);
    }
}

/// <summary>Wakes the dispatcher when deliveries were committed, so the first attempt does not wait for its next poll.</summary>
public sealed class WebhookSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Another notification got there first: one wake-up is enough.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
