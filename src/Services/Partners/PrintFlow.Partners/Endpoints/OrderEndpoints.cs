using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Endpoints;

/// <summary>The partner's orders: create, read, list, confirm, cancel.</summary>
public static class OrderEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    private const int MaxReasonLength = 500;

    public static string LocationOf(Guid orderId) => $"{PartnersModule.BasePath}/orders/{orderId}";

    internal static RouteGroupBuilder MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        orders.MapPost("/", CreateOrderEndpoint.HandleAsync)
            .WithName("CreateOrder")
            .WithSummary("Submit an order: model files plus material, quantity, lead time, due date and your reference.")
            .DescribeOrderForm()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapGet("/", ListAsync).WithName("ListOrders").WithSummary("Your orders, newest first, a page at a time.");
        orders.MapGet("/{id:guid}", GetAsync).WithName("GetOrder").WithSummary("An order with its quote, status history and last message.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapPost("/{id:guid}/confirm", ConfirmAsync).WithName("ConfirmOrder").WithSummary("Accept the current quote.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        orders.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelOrder").WithSummary("Cancel the order (before printing starts).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return orders;
    }

    private static async Task<Results<Ok<OrderDetails>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, PartnersDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var order = await PartnerQueries.PartnersOrder.For(db)(db, partnerId, id, cancellationToken);
        return order is null ? NotFound(id) : TypedResults.Ok(OrderDetails.From(order, clock.GetUtcNow()));
    }

    private static async Task<Results<Ok<OrderPage>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, PartnersDbContext db, string? status, string? after, string? limit, CancellationToken cancellationToken)
    {
        var partnerId = user.PartnerId();
        var size = DefaultPageSize;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "request.limit-invalid", PartnersStrings.Get("Problem.request.limit-invalid", MaxPageSize));
        }

        var query = db.Orders.AsNoTracking().Where(o => o.PartnerId == partnerId);
        if (status is not null)
        {
            var match = Enum.GetValues<OrderStatus>().Cast<OrderStatus?>()
                .FirstOrDefault(s => s.ToString()!.Equals(status, StringComparison.OrdinalIgnoreCase));
            if (match is not { } wanted)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "request.status-invalid",
                    PartnersStrings.Get("Problem.request.status-invalid", status, string.Join(", ", Enum.GetNames<OrderStatus>())));
            }

            query = query.Where(o => o.Status == wanted);
        }

        if (after is not null)
        {
            var cursor = Guid.TryParse(after, out var afterId)
                ? await db.Orders.Where(o => o.Id == afterId && o.PartnerId == partnerId).Select(o => o.SortKey).FirstOrDefaultAsync(cancellationToken)
                : null;
            if (cursor is null)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "request.cursor-invalid",
                    PartnersStrings.Get("Problem.request.cursor-invalid"));
            }

            query = query.Where(o => string.Compare(o.SortKey, cursor) < 0);
        }

        var rows = await query
            .OrderByDescending(o => o.SortKey)
            .Take(size + 1)
            .Select(o => new { o.Id, o.OrderNumber, o.Status, o.Reference, o.CreatedAt, o.UpdatedAt })
            .ToListAsync(cancellationToken);
        var page = rows.Take(size)
            .Select(o => new OrderSummary(o.Id, o.OrderNumber, o.Status.ToString(), o.Reference, o.CreatedAt, o.UpdatedAt, OrderLinks.For(o.Id)))
            .ToList();
        var next = rows.Count > size ? NextLink(page[^1].Id, status, size) : null;
        return TypedResults.Ok(new OrderPage(page, next));
    }

    private static Task<Results<Accepted<CommandAccepted>, ProblemHttpResult>> ConfirmAsync(
        Guid id, ClaimsPrincipal user, PartnersDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        RequestAsync(id, "confirm", user, db, clock, (order, now) => order.RequestConfirmation(now, out var quoteId)
            ? new OrderConfirmationRequested(order.Id, quoteId, user.PartnerName(), now)
            : null, cancellationToken);

    private static async Task<Results<Accepted<CommandAccepted>, ProblemHttpResult>> CancelAsync(
        Guid id,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CancelOrderRequest? body,
        ClaimsPrincipal user,
        PartnersDbContext db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? "Cancelled by the partner." : body.Reason.Trim();
        if (reason.Length > MaxReasonLength)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "reason.too-long", PartnersStrings.Get("Problem.reason.too-long", MaxReasonLength));
        }

        return await RequestAsync(id, "cancel", user, db, clock, (order, now) => order.RequestCancellation(now)
            ? new OrderCancellationRequested(order.Id, user.PartnerName(), reason, now)
            : null, cancellationToken);
    }

    /// <summary>
    /// A partner's request about one of its orders: <paramref name="request"/> records it on the order and returns the
    /// message to pass to Ordering (none when it was already passed on: asking twice is harmless). A refusal is 409
    /// with the order's reason. The order's status is updated in the background as Ordering moves it on; a request
    /// that loses such a race reads the order again and is re-applied, and only one that keeps losing is 409
    /// <c>order.changed</c>.
    /// </summary>
    private static async Task<Results<Accepted<CommandAccepted>, ProblemHttpResult>> RequestAsync(
        Guid id,
        string command,
        ClaimsPrincipal user,
        PartnersDbContext db,
        TimeProvider clock,
        Func<PartnerOrder, DateTimeOffset, IIntegrationEvent?> request,
        CancellationToken cancellationToken)
    {
        const int attempts = 3;
        var partnerId = user.PartnerId();
        for (var attempt = 1; ; attempt++)
        {
            var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == id && o.PartnerId == partnerId, cancellationToken);
            if (order is null)
            {
                return NotFound(id);
            }

            var now = clock.GetUtcNow();
            try
            {
                if (request(order, now) is { } message)
                {
                    db.Publish(message, clock);
                }

                await db.SaveChangesAsync(cancellationToken);
            }
            catch (PartnerOrderException refused)
            {
                return Problems.Of(StatusCodes.Status409Conflict, refused.Code, refused.Message);
            }
            catch (DbUpdateConcurrencyException) when (attempt < attempts)
            {
                db.ChangeTracker.Clear(); // the order, the request on it and its message are staged again
                continue;
            }
            catch (DbUpdateConcurrencyException)
            {
                return Changed(order);
            }

            return TypedResults.Accepted(LocationOf(order.Id), new CommandAccepted(order.Id, command, order.Status.ToString(), OrderLinks.For(order.Id)));
        }
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        Problems.Of(StatusCodes.Status404NotFound, "order.not-found", PartnersStrings.Get("Problem.order.not-found", id));

    private static ProblemHttpResult Changed(PartnerOrder order) =>
        Problems.Of(StatusCodes.Status409Conflict, "order.changed",
            PartnersStrings.Get("Problem.order.changed", order.OrderNumber));

    private static string NextLink(Guid lastId, string? status, int size)
    {
        var link = $"{PartnersModule.BasePath}/orders?after={lastId}&limit={size.ToString(CultureInfo.InvariantCulture)}";
        return status is null ? link : $"{link}&status={Uri.EscapeDataString(status)}";
    }
}

/// <summary>The order form as documented in OpenAPI (the endpoint reads the multipart body itself, streaming).</summary>
public sealed class CreateOrderForm
{
    /// <summary>One or more model files (STL, OBJ or 3MF), each in a part named "model".</summary>
    public required IFormFileCollection Model { get; init; }

    /// <summary>PLA, PETG, ABS or Resin.</summary>
    public required string Material { get; init; }

    /// <summary>Copies of each model, 1 to 10000.</summary>
    public required int Quantity { get; init; }

    /// <summary>Standard (default) or Express.</summary>
    public string? LeadTime { get; init; }

    /// <summary>ISO 8601 date or time by which you need the parts.</summary>
    public DateTimeOffset? DueDate { get; init; }

    /// <summary>Your own order reference (up to 100 characters).</summary>
    public string? Reference { get; init; }

    /// <summary>
    /// Where to ship, as a JSON object: recipient, line1, line2, city, region, postalCode, country (ISO 3166-1 alpha-2),
    /// phone. Without it the order ships to your default address (PUT /account/shipping-address), if you set one.
    /// </summary>
    public string? ShippingAddress { get; init; }
}
