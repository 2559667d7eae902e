using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Webhooks;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Endpoints;

/// <summary>The partner's webhook endpoints: register, list, delete, rotate the secret, list deliveries, redeliver.</summary>
public static class WebhookEndpoints
{
    public const int MaxDescriptionLength = 200;
    public const int MaxDeliveriesPage = 100;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static RouteGroupBuilder MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddEndpointFilter(async (context, next) =>
                await context.HttpContext.RequestServices.GetRequiredService<IFeatureManager>().IsEnabledAsync(FeatureFlags.PartnerWebhooks)
                    ? await next(context)
                    : FeatureDisabled());
        webhooks.MapPost("/", RegisterAsync).WithName("RegisterWebhook")
            .Accepts<WebhookRequest>("application/json")
            .WithSummary("Register an https URL for the event types you choose; the answer shows the signing secret, once.");
        webhooks.MapGet("/", ListAsync).WithName("ListWebhooks").WithSummary("Your webhook endpoints (without secrets).");
        webhooks.MapGet("/{id:guid}", GetAsync).WithName("GetWebhook").WithSummary("One webhook endpoint.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id:guid}", DeleteAsync).WithName("DeleteWebhook")
            .WithSummary("Delete an endpoint; its pending deliveries are dropped.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/rotate-secret", RotateAsync).WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret, shown once; the old one still signs deliveries (a second v1) until previousSecretValidUntil.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:guid}/deliveries", DeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("Deliveries to this endpoint, newest first: status, attempts, last response code and the start of the last response.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverAsync).WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again now (same event id and body), whatever its status.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return webhooks;
    }

    private static async Task<Results<Created<WebhookCreated>, ProblemHttpResult>> RegisterAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        PartnersDbContext db,
        WebhookUrlPolicy policy,
        WebhookSecrets secrets,
        IOptionsMonitor<WebhookOptions> options,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var partnerId = user.PartnerId();
        // Read here rather than bound, so a body that is not JSON gets a problem with a code like every other refusal.
        WebhookRequest? body;
        try
        {
            body = request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync<WebhookRequest>(request.Body, Json, cancellationToken);
        }
        catch (JsonException)
        {
            return BadRequest("webhook.body-invalid", PartnersStrings.Get("Problem.webhook.body-invalid"));
        }

        if (body is null)
        {
            return BadRequest("webhook.body-missing", PartnersStrings.Get("Problem.webhook.body-missing"));
        }

        var events = body.Events is null or { Count: 0 } ? [WebhookEvents.OrderStatusChanged] : body.Events.Distinct(StringComparer.Ordinal).ToList();
        var unknown = events.FindIndex(e => e is null || !WebhookEvents.Types.Contains(e));
        if (unknown >= 0)
        {
            return BadRequest("webhook.event-unknown",
                PartnersStrings.Get("Problem.webhook.event-unknown", Truncate(events[unknown] ?? "null"), string.Join(", ", WebhookEvents.Types)));
        }

        if (body.Description is { Length: > MaxDescriptionLength })
        {
            return BadRequest("webhook.description-too-long", PartnersStrings.Get("Problem.webhook.description-too-long", MaxDescriptionLength));
        }

        var (url, refusal) = await policy.CheckAsync(body.Url, cancellationToken);
        if (refusal is not null)
        {
            return BadRequest(refusal.Code, refusal.Detail);
        }

        if (await db.WebhookEndpoints.CountAsync(e => e.PartnerId == partnerId, cancellationToken) >= settings.MaxEndpointsPerPartner)
        {
            return BadRequest("webhook.too-many-endpoints",
                PartnersStrings.Get("Problem.webhook.too-many-endpoints", settings.MaxEndpointsPerPartner));
        }

        var endpoint = WebhookEndpoint.Register(partnerId, url!, events, body.Description?.Trim(), secrets, clock.GetUtcNow(), out var secret);
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created(LocationOf(endpoint.Id), new WebhookCreated(WebhookDetails.From(endpoint), secret));
    }

    private static async Task<Ok<IReadOnlyList<WebhookDetails>>> ListAsync(ClaimsPrincipal user, PartnersDbContext db, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.PartnerId == partnerId).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<WebhookDetails>>([.. endpoints.OrderBy(e => e.CreatedAt).Select(WebhookDetails.From)]);
    }

    private static async Task<Results<Ok<WebhookDetails>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, PartnersDbContext db, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.PartnerId == partnerId, cancellationToken);
        return endpoint is null ? NotFound(id) : TypedResults.Ok(WebhookDetails.From(endpoint));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, ClaimsPrincipal user, PartnersDbContext db, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.PartnerId == partnerId, cancellationToken))
        {
            return NotFound(id);
        }

        await db.WebhookDeliveries.Where(d => d.EndpointId == id).ExecuteDeleteAsync(cancellationToken);
        await db.WebhookEndpoints.Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SecretRotated>, ProblemHttpResult>> RotateAsync(
        Guid id, ClaimsPrincipal user, PartnersDbContext db, WebhookSecrets secrets, IOptionsMonitor<WebhookOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var endpoint = await db.WebhookEndpoints.FirstOrDefaultAsync(e => e.Id == id && e.PartnerId == partnerId, cancellationToken);
        if (endpoint is null)
        {
            return NotFound(id);
        }

        var secret = endpoint.RotateSecret(secrets, clock.GetUtcNow(), options.CurrentValue.SecretOverlap);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new SecretRotated(endpoint.Id, secret, endpoint.PreviousSecretExpiresAt));
    }

    private static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> DeliveriesAsync(
        Guid id, ClaimsPrincipal user, PartnersDbContext db, string? status, string? limit, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var size = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxDeliveriesPage))
        {
            return BadRequest("request.limit-invalid", PartnersStrings.Get("Problem.webhook.limit-invalid", MaxDeliveriesPage));
        }

        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.PartnerId == partnerId, cancellationToken))
        {
            return NotFound(id);
        }

        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id);
        if (status is not null)
        {
            if (!Enum.TryParse<DeliveryStatus>(status, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted) || int.TryParse(status, out _))
            {
                return BadRequest("request.status-invalid", PartnersStrings.Get("Problem.webhook.status-invalid"));
            }

            query = query.Where(d => d.Status == wanted);
        }

        var rows = await query.OrderByDescending(d => d.Id).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new DeliveryPage([.. rows.Select(DeliveryDetails.From)]));
    }

    private static async Task<Results<Accepted<DeliveryDetails>, ProblemHttpResult>> RedeliverAsync(
        Guid id, Guid deliveryId, ClaimsPrincipal user, PartnersDbContext db, WebhookSignal signal, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(
            d => d.Id == deliveryId && d.EndpointId == id && d.PartnerId == partnerId, cancellationToken);
        if (delivery is null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "webhook.delivery-not-found", PartnersStrings.Get("Problem.webhook.delivery-not-found", id, deliveryId));
        }

        delivery.Redeliver(clock.GetUtcNow());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // An attempt finished meanwhile; ask again for a fresh row and apply the request to it.
            db.ChangeTracker.Clear();
            delivery = await db.WebhookDeliveries.FirstAsync(d => d.Id == deliveryId, cancellationToken);
            delivery.Redeliver(clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        signal.Notify();
        return TypedResults.Accepted($"{LocationOf(id)}/deliveries", DeliveryDetails.From(delivery));
    }

    /// <summary>The answer of every webhook endpoint while the PartnerWebhooks flag is off: as if webhooks did not exist.</summary>
    public static ProblemHttpResult FeatureDisabled() =>
        Problems.Of(StatusCodes.Status404NotFound, "feature_disabled", "Webhooks are switched off on this PrintFlow deployment; follow your orders with GET /orders/{id}.");

    public static string LocationOf(Guid id) => $"{PartnersModule.BasePath}/webhooks/{id}";

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;

    private static ProblemHttpResult BadRequest(string code, string detail) => Problems.Of(StatusCodes.Status400BadRequest, code, detail);

    private static ProblemHttpResult NotFound(Guid id) =>
        Problems.Of(StatusCodes.Status404NotFound, "webhook.not-found", PartnersStrings.Get("Problem.webhook.not-found", id));
}

public sealed record WebhookRequest(string? Url, List<string>? Events, string? Description);

public sealed record WebhookDetails(Guid Id, string Url, IReadOnlyList<string> Events, string? Description, DateTimeOffset CreatedAt,
    DateTimeOffset? SecretRotatedAt, DateTimeOffset? PreviousSecretValidUntil)
{
    public static WebhookDetails From(WebhookEndpoint endpoint) => new(
        endpoint.Id, endpoint.Url, endpoint.EventTypes, endpoint.Description, endpoint.CreatedAt, endpoint.SecretRotatedAt, endpoint.PreviousSecretExpiresAt);
}

/// <summary>A new endpoint with the one and only copy of its signing secret.</summary>
public sealed record WebhookCreated(WebhookDetails Endpoint, string Secret);

public sealed record SecretRotated(Guid Id, string Secret, DateTimeOffset? PreviousSecretValidUntil);

public sealed record DeliveryPage(IReadOnlyList<DeliveryDetails> Items);

public sealed record DeliveryDetails(
    Guid Id, Guid EventId, string EventType, Guid OrderId, int Version, string Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, int? LastResponseCode, string? LastError,
    string? LastResponsePrefix)
{
    public static DeliveryDetails From(WebhookDelivery d) => new(
        d.Id, d.EventId, d.EventType, d.OrderId, d.Version, d.Status.ToString().ToLowerInvariant(), d.Attempts, d.CreatedAt, d.LastAttemptAt,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.LastStatusCode, d.LastError, d.ResponsePrefix);
}
