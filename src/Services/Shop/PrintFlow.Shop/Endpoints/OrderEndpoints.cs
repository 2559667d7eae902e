using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using PrintFlow.ServiceDefaults;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using PrintFlow.Shop.Handlers;
using PrintFlow.Shop.Pages;

namespace PrintFlow.Shop.Endpoints;

/// <summary>What a customer does with an order they placed: confirm the quote, cancel, and follow it live.</summary>
internal static class OrderEndpoints
{
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

        db.AfterCommit(() => feed.Notify(ShopTopics.Order(id)));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/orders/{id}");
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

        db.AfterCommit(() => feed.Notify(ShopTopics.Order(id)));
        await db.SaveChangesAsync(cancellationToken);
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
        Problems.Of(StatusCodes.Status404NotFound, "order.not-found", "There is no such order in your account.");
}
