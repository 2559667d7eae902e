using Microsoft.EntityFrameworkCore;
using Microsoft.FeatureManagement;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// Stages one delivery per status step per subscribed endpoint in the handler's unit of work, so it commits with the
/// inbox row of the event (nothing lost) and a repeated or re-driven status adds nothing (one event id per step).
/// </summary>
public sealed class WebhookStaging(PartnersDbContext db, TimeProvider clock, WebhookSignal signal, IFeatureManager features)
{
    // Every partner status event asks the first (most partners have no endpoint): compiled, like PartnerQueries.
    private static readonly CompiledQuery<Func<PartnersDbContext, Guid, IAsyncEnumerable<WebhookEndpoint>>> EndpointsOf = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, Guid partnerId) => db.WebhookEndpoints.AsNoTracking().Where(e => e.PartnerId == partnerId)));

    private static readonly CompiledQuery<Func<PartnersDbContext, Guid, IAsyncEnumerable<Guid>>> StagedEventIds = new(() =>
        EF.CompileAsyncQuery((PartnersDbContext db, Guid orderId) => db.WebhookDeliveries.Where(d => d.OrderId == orderId).Select(d => d.EventId)));

    private readonly Dictionary<Guid, List<WebhookEndpoint>> _endpoints = [];

    public async Task StageAsync(PartnerOrder order, OrderStatusChanged change, CancellationToken cancellationToken)
    {
        // Switched off, webhooks do not exist: events of that time are not kept to flood the partner when switched on.
        if (!await features.IsEnabledAsync(FeatureFlags.PartnerWebhooks))
        {
            return;
        }

        var endpoints = await EndpointsAsync(order.PartnerId, cancellationToken);

        if (endpoints.Count == 0)
        {
            return;
        }

        // Event ids are per endpoint, so the order's ids of every endpoint together still tell each apart.
        var staged = new HashSet<Guid>();
        await foreach (var eventId in StagedEventIds.For(db)(db, order.Id).WithCancellation(cancellationToken))
        {
            staged.Add(eventId);
        }

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

    /// <summary>
    /// The partner's endpoints that want status events, read once per unit of work: a batch of one partner's status
    /// events (one transaction, so one view of the endpoints anyway) asked once per event before.
    /// </summary>
    private async Task<List<WebhookEndpoint>> EndpointsAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        if (_endpoints.TryGetValue(partnerId, out var known))
        {
            return known;
        }

        var endpoints = new List<WebhookEndpoint>();
        await foreach (var endpoint in EndpointsOf.For(db)(db, partnerId).WithCancellation(cancellationToken))
        {
            if (endpoint.Wants(WebhookEvents.OrderStatusChanged))
            {
                endpoints.Add(endpoint);
            }
        }

        _endpoints[partnerId] = endpoints;
        return endpoints;
    }
}

/// <summary>Wakes the dispatcher when deliveries were committed, so the first attempt does not wait for its next poll.</summary>
public sealed class WebhookSignal : WakeSignal;
