using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.LiveUpdates;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using PrintFlow.Shop.Handlers;
using PrintFlow.Shop.Pages;

namespace PrintFlow.Shop.Endpoints;

/// <summary>What a customer does with an order they placed: confirm the quote, cancel, and follow it live.</summary>
internal static class OrderEndpoints
{
    public const int MaxListed = 200;

    public static async Task<IResult> ConfirmAsync(
        Guid id, [FromForm] Guid quoteId, ClaimsPrincipal user, ShopDbContext db, LiveFeed feed, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(db, id, user, tracked: true, cancellationToken) is not { } order)
        {
            return NotFound();
        }

        try
        {
            db.Publish(order.RequestConfirmation(quoteId, By(user), clock.GetUtcNow()), clock);
        }
        catch (OrderActionNotAllowedException refused)
        {
            return Refused(id, refused);
        }

        return await SaveAndReturnAsync(db, feed, id, cancellationToken);
    }

    public static async Task<IResult> CancelAsync(
        Guid id, [FromForm] string? reason, ClaimsPrincipal user, ShopDbContext db, LiveFeed feed, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(db, id, user, tracked: true, cancellationToken) is not { } order)
        {
            return NotFound();
        }

        var why = string.IsNullOrWhiteSpace(reason) ? "Cancelled by the customer." : reason.Trim()[..Math.Min(reason.Trim().Length, 500)];
        try
        {
            db.Publish(order.RequestCancellation(By(user), why, clock.GetUtcNow()), clock);
        }
        catch (OrderActionNotAllowedException refused)
        {
            return Refused(id, refused);
        }

        return await SaveAndReturnAsync(db, feed, id, cancellationToken);
    }

    private static async Task<IResult> SaveAndReturnAsync(ShopDbContext db, LiveFeed feed, Guid id, CancellationToken cancellationToken)
    {
        var customerId = db.Orders.Local.Single(o => o.Id == id).CustomerId;
        db.AfterCommit(() =>
        {
            feed.Notify(ShopTopics.Order(id));
            feed.Notify(ShopTopics.Customer(customerId));
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A status arrived while the request was checked against the previous one: let the customer look again.
            return Results.Redirect($"/orders/{id}?error={OrderActionErrors.ChangedMeanwhile}");
        }

        return Results.Redirect($"/orders/{id}");
    }

    /// <summary>The live part of the order page, re-fetched by the page whenever the order changes.</summary>
    public static async Task<IResult> LiveFragmentAsync(
        Guid id, string? error, ClaimsPrincipal user, ShopDbContext db, CancellationToken cancellationToken) =>
        await FindOwnAsync(db, id, user, tracked: false, cancellationToken) is { } order
            ? new RazorComponentResult<OrderLive>(new { Order = order, Error = error })
            : NotFound();

    public static async Task<IResult> EventsAsync(
        Guid id, ClaimsPrincipal user, ShopDbContext db, LiveFeed feed, HttpContext http, CancellationToken cancellationToken) =>
        await FindOwnAsync(db, id, user, tracked: false, cancellationToken) is not null
            ? feed.Stream(ShopTopics.Order(id), http)
            : NotFound();

    /// <summary>The customer's order list, re-fetched by the page whenever one of their orders changes.</summary>
    public static async Task<IResult> ListFragmentAsync(ClaimsPrincipal user, ShopDbContext db, CancellationToken cancellationToken) =>
        new RazorComponentResult<OrderList>(new { Orders = await MyOrdersAsync(db, user, cancellationToken) });

    public static IResult ListEvents(ClaimsPrincipal user, LiveFeed feed, HttpContext http) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var customerId)
            ? feed.Stream(ShopTopics.Customer(customerId), http)
            : NotFound();

    public static async Task<List<ShopOrder>> MyOrdersAsync(ShopDbContext db, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var customerId))
        {
            return [];
        }

        return await db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == customerId)
            .OrderByDescending(o => o.SubmittedAt)
            .Take(MaxListed)
            .ToListAsync(cancellationToken);
    }

    /// <summary>A customer sees only their own orders; anyone else's is "not found", not "forbidden".</summary>
    public static async Task<ShopOrder?> FindOwnAsync(
        ShopDbContext db, Guid id, ClaimsPrincipal user, bool tracked, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var customerId))
        {
            return null;
        }

        var orders = tracked ? db.Orders : db.Orders.AsNoTracking();
        return await orders.SingleOrDefaultAsync(o => o.Id == id && o.CustomerId == customerId, cancellationToken);
    }

    private static string By(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Email) ?? user.Id();

    private static IResult Refused(Guid id, OrderActionNotAllowedException refused) =>
        Results.Redirect($"/orders/{id}?error={Uri.EscapeDataString(refused.Code)}");

    private static ProblemHttpResult NotFound() =>
        Problems.Of(StatusCodes.Status404NotFound, "order.not-found", Texts.Get<ShopStrings>("Problem.order.not-found"));
}
