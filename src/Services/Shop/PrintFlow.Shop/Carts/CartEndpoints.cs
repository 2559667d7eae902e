using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using PrintFlow.Shop.Endpoints;
using PrintFlow.Shop.Handlers;
using PrintFlow.Shop.Pages;

namespace PrintFlow.Shop.Carts;

/// <summary>
/// What a buyer does with a quote: change an item's options, remove it, choose the delivery speed, follow the price
/// live, and (signed in) turn it into an order. Plain forms that redirect back to the cart page; a script on the page
/// sends the same forms with <see cref="FragmentHeader"/> and gets the updated cart fragment instead.
/// </summary>
internal static class CartEndpoints
{
    public const string FragmentHeader = "X-Cart-Fragment";

    public static async Task<IResult> ChangeItemAsync(
        string token, Guid itemId, [FromForm] string? material, [FromForm] string? colour, [FromForm] string? quality, [FromForm] string? quantity,
        HttpContext http, ShopDbContext db, IOptions<ShopOptions> options, LiveFeed feed, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await LiveCartAsync(db, token, clock, cancellationToken) is not { } cart)
        {
            return Expired(http, token);
        }

        var catalogue = cart.Catalogue;
        var materialName = (catalogue?.Materials.Select(m => m.Name) ?? UploadErrors.Materials)
            .FirstOrDefault(m => string.Equals(m, material, StringComparison.OrdinalIgnoreCase));
        var qualityName = (catalogue?.Qualities ?? CartErrors.Qualities)
            .FirstOrDefault(q => string.Equals(q, quality, StringComparison.OrdinalIgnoreCase));
        var colours = catalogue?.Materials.FirstOrDefault(m => m.Name == materialName)?.Colours;
        var colourName = colours?.FirstOrDefault(c => string.Equals(c.Name, colour, StringComparison.OrdinalIgnoreCase))?.Name;
        var error = materialName is null ? CartErrors.UnknownMaterial
            : qualityName is null ? CartErrors.UnknownQuality
            : !int.TryParse(quantity, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count is < 1 or > Cart.MaxQuantity
                ? CartErrors.BadQuantity
                : null;
        if (error is not null)
        {
            return Answer(http, cart, token, error, itemId);
        }

        try
        {
            db.Publish(cart.Change(itemId, materialName!, colourName, qualityName!, int.Parse(quantity!, CultureInfo.InvariantCulture),
                clock.GetUtcNow(), options.Value.CartLifetime), clock);
        }
        catch (CartRuleException refused)
        {
            return Answer(http, cart, token, refused.Code, itemId);
        }

        return await SaveAsync(http, db, feed, cart, token, cancellationToken);
    }

    public static async Task<IResult> RemoveItemAsync(
        string token, Guid itemId, HttpContext http, ShopDbContext db, IOptions<ShopOptions> options, LiveFeed feed, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await LiveCartAsync(db, token, clock, cancellationToken) is not { } cart)
        {
            return Expired(http, token);
        }

        try
        {
            if (cart.Remove(itemId, clock.GetUtcNow(), options.Value.CartLifetime) is { } request)
            {
                db.Publish(request, clock);
            }
        }
        catch (CartRuleException refused)
        {
            return Answer(http, cart, token, refused.Code, itemId);
        }

        // The model's hold stays until the cart expires or is ordered: a second tab may still show the item.
        return await SaveAsync(http, db, feed, cart, token, cancellationToken);
    }

    public static async Task<IResult> SetLeadTimeAsync(
        string token, [FromForm] string? leadTime, HttpContext http, ShopDbContext db, IOptions<ShopOptions> options, LiveFeed feed,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await LiveCartAsync(db, token, clock, cancellationToken) is not { } cart)
        {
            return Expired(http, token);
        }

        if (!Enum.TryParse<LeadTime>(leadTime, ignoreCase: true, out var chosen) || !Enum.IsDefined(chosen) || char.IsDigit(leadTime![0]))
        {
            return Answer(http, cart, token, CartErrors.UnknownLeadTime, null);
        }

        db.Publish(cart.SetLeadTime(chosen, clock.GetUtcNow(), options.Value.CartLifetime), clock);
        return await SaveAsync(http, db, feed, cart, token, cancellationToken);
    }

    /// <summary>The live part of the cart page, re-fetched whenever the cart's price changes.</summary>
    public static async Task<IResult> FragmentAsync(string token, string? error, Guid? item, ShopDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        await LiveCartAsync(db, token, clock, cancellationToken, tracked: false) is { } cart
            ? Fragment(cart, token, error, item, clock)
            : Results.Content("", "text/html");

    public static async Task<IResult> EventsAsync(string token, ShopDbContext db, LiveFeed feed, HttpContext http, TimeProvider clock, CancellationToken cancellationToken) =>
        await LiveCartAsync(db, token, clock, cancellationToken, tracked: false) is { } cart
            ? feed.Stream(ShopTopics.Cart(cart.Id), http)
            : NotFound();

    /// <summary>
    /// Turns the cart into an order for the signed-in customer: the same items, options and lead time, the models held
    /// for the order, the ship-by date promised for its lead time. Refused, with nothing created, when the cart has
    /// expired, is not fully priced, holds a model that cannot be printed, the address is not valid, or the customer's
    /// email is not verified while <see cref="Accounts.AccountEmailOptions.RequireVerifiedEmail"/> is on.
    /// </summary>
    public static async Task<IResult> CheckoutAsync(
        string token, IFormCollection form, ClaimsPrincipal user, HttpContext http, ShopDbContext db, IModelStore store, LiveFeed feed,
        IOptions<Accounts.AccountEmailOptions> accountEmails, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Customer) || !Guid.TryParse(user.Id(), out var customerId))
        {
            return Results.Redirect($"/login?returnUrl={Uri.EscapeDataString($"/cart/{token}")}");
        }

        if (await LiveCartAsync(db, token, clock, cancellationToken) is not { } cart)
        {
            return Expired(http, token);
        }

        var back = $"/cart/{token}";
        // The same rule as the upload form's: the cart stays as it is, and becomes the order once the email is verified.
        if (accountEmails.Value.RequireVerifiedEmail && !await CustomerAccountEndpoints.IsVerifiedAsync(db, customerId, cancellationToken))
        {
            return Results.Redirect($"{back}?error={CartErrors.EmailNotVerified}#order");
        }

        if (!cart.IsPriced)
        {
            return Results.Redirect($"{back}?error={CartErrors.NotPriced}#order");
        }

        if (!cart.CanOrder)
        {
            return Results.Redirect($"{back}?error={CartErrors.NotOrderable}#order");
        }

        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString().Trim(), StringComparer.OrdinalIgnoreCase);
        var shipping = await CheckoutAddress.ResolveAsync(db, customerId, fields, cancellationToken);
        if (shipping.ErrorCodes.Count > 0)
        {
            return Results.Redirect(back + "?" + string.Join('&', shipping.ErrorCodes.Select(code => "error=" + Uri.EscapeDataString(code))
                .Concat(CheckoutAddress.Echo(fields).Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}"))) + "#order");
        }

        if (await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return Results.Redirect($"/login?returnUrl={Uri.EscapeDataString(back)}");
        }

        var now = clock.GetUtcNow();
        var order = ShopOrder.Submit(customer, cart.ToOrderItems(), cart.LeadTime, now, shipping.Address, cart.ShipBy(cart.LeadTime, now));
        var models = cart.Items.Select(i => i.ModelSha256).Distinct(StringComparer.Ordinal).ToList();
        if (!await HoldAllAsync(store, models, $"shop-{order.Id:N}", cancellationToken))
        {
            return Results.Redirect($"{back}?error={CartErrors.ModelGone}#order");
        }

        db.Orders.Add(order);
        db.Carts.Remove(cart);
        await CheckoutAddress.RememberAsync(db, customer.Id, shipping, now, cancellationToken);
        db.Publish(order.ToSubmitted(), clock);
        db.AfterCommit(() => feed.Notify(ShopTopics.Customer(customer.Id)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A new price arrived (or the cart changed in another tab) while the order was being placed.
            await ReleaseAllAsync(store, models, $"shop-{order.Id:N}", cancellationToken);
            return Results.Redirect($"{back}?error={CartErrors.Changed}#order");
        }

        await ReleaseAllAsync(store, models, CartLookup.Holder(cart.Id), cancellationToken);
        CartCookie.Clear(http);
        return Results.Redirect($"/orders/{order.Id}");
    }

    /// <summary>A new order with the same models and options as one of the customer's orders, priced anew.</summary>
    public static async Task<IResult> ReorderAsync(
        Guid id, ClaimsPrincipal user, ShopDbContext db, IModelStore store, LiveFeed feed, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await OrderEndpoints.FindOwnAsync(db, id, user, tracked: false, cancellationToken) is not { } previous
            || await db.Customers.FindAsync([previous.CustomerId], cancellationToken) is not { } customer)
        {
            return NotFound();
        }

        var order = previous.Reorder(customer, clock.GetUtcNow());
        if (!await HoldAllAsync(store, [.. order.Items.Select(i => i.ModelSha256).Distinct(StringComparer.Ordinal)], $"shop-{order.Id:N}", cancellationToken))
        {
            return Results.Redirect($"/orders/{id}?error={CartErrors.ModelGone}");
        }

        db.Orders.Add(order);
        db.Publish(order.ToSubmitted(), clock);
        db.AfterCommit(() => feed.Notify(ShopTopics.Customer(customer.Id)));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/orders/{order.Id}");
    }

    /// <summary>The cart behind the token unless it has expired.</summary>
    public static async Task<Cart?> LiveCartAsync(ShopDbContext db, string? token, TimeProvider clock, CancellationToken cancellationToken, bool tracked = true) =>
        await CartLookup.FindAsync(db, token, tracked, cancellationToken) is { } cart && !cart.IsExpired(clock.GetUtcNow()) ? cart : null;

    private static async Task<bool> HoldAllAsync(IModelStore store, IReadOnlyList<string> models, string holder, CancellationToken cancellationToken)
    {
        foreach (var sha256 in models)
        {
            if (!await store.HoldAsync(sha256, holder, cancellationToken))
            {
                await ReleaseAllAsync(store, models, holder, cancellationToken);
                return false;
            }
        }

        return true;
    }

    private static async Task ReleaseAllAsync(IModelStore store, IEnumerable<string> models, string holder, CancellationToken cancellationToken)
    {
        foreach (var sha256 in models)
        {
            await store.ReleaseAsync(sha256, holder, cancellationToken);
        }
    }

    private static async Task<IResult> SaveAsync(HttpContext http, ShopDbContext db, LiveFeed feed, Cart cart, string token, CancellationToken cancellationToken)
    {
        var cartId = cart.Id;
        db.AfterCommit(() => feed.Notify(ShopTopics.Cart(cartId)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Answer(http, cart, token, CartErrors.Changed, null);
        }

        CartCookie.Write(http, token, cart.ExpiresAt);
        return Answer(http, cart, token, null, null);
    }

    /// <summary>The updated fragment for the page's script; a redirect back to the cart page for a plain form.</summary>
    private static IResult Answer(HttpContext http, Cart cart, string token, string? error, Guid? item) =>
        http.Request.Headers.ContainsKey(FragmentHeader)
            ? Fragment(cart, token, error, item, http.RequestServices.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System)
            : Results.Redirect($"/cart/{token}" + (error is null ? "" : $"?error={Uri.EscapeDataString(error)}" + (item is { } id ? $"&item={id}" : "")));

    private static IResult Fragment(Cart cart, string token, string? error, Guid? item, TimeProvider clock) =>
        new RazorComponentResult<CartView>(new { Cart = cart, Token = token, Error = error, ErrorItem = item, Now = clock.GetUtcNow() });

    private static IResult Expired(HttpContext http, string token) =>
        http.Request.Headers.ContainsKey(FragmentHeader)
            ? Results.Content("", "text/html", statusCode: StatusCodes.Status410Gone)
            : Results.Redirect($"/cart/{token}");

    private static ProblemHttpResult NotFound() =>
        Problems.Of(StatusCodes.Status404NotFound, "cart.not-found", Texts.Get<ShopStrings>("Problem.cart.not-found"));
}
