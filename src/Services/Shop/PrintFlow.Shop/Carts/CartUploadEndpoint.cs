using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Uploads;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;
using PrintFlow.Shop.Endpoints;
using PrintFlow.Shop.Handlers;

namespace PrintFlow.Shop.Carts;

/// <summary>
/// Adds uploaded models to the visitor's cart (creating it on the first upload) and asks Pricing for its price. Anyone
/// may upload: the body is streamed part by part into the store's temporary area, the antiforgery token is checked
/// before any file is read, and each visitor (a customer, or else an address) has the same daily quota as an order.
/// Nothing is kept unless the whole form is valid: either every file joins the cart, or none does.
/// </summary>
internal static class CartUploadEndpoint
{
    private const int MaxFieldLength = 4096;

    public static async Task<IResult> UploadAsync(
        HttpContext http,
        ClaimsPrincipal user,
        IAntiforgery antiforgery,
        IOptions<AntiforgeryOptions> antiforgeryOptions,
        IOptions<PrintFlowOptions> options,
        IOptions<ShopOptions> shopOptions,
        IModelStore store,
        ShopDbContext db,
        LiveFeed feed,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var maxModelBytes = options.Value.MaxModelBytes;
        var back = "/";
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return BackTo(back, UploadErrors.NotMultipart);
        }

        var owner = user.IsInRole(Roles.Customer) && Guid.TryParse(user.Id(), out var customerId)
            ? customerId.ToString("N")
            : "address-" + SignInThrottle.AddressOf(http);
        var allowance = await UploadQuotas.AllowanceAsync(
            db, owner, shopOptions.Value.UploadBytesPerDay, shopOptions.Value.UploadModelsPerDay, clock.GetUtcNow(), cancellationToken);
        if (allowance.Exhausted)
        {
            return QuotaExceeded(back, allowance);
        }

        // Several files share the budget of one request: at most the largest model times the cart's room, within the quota.
        var bodyLimit = Math.Min(maxModelBytes * Cart.MaxItems, allowance.BytesLeft);
        RequestLimits.AllowBody(http, bodyLimit + RequestLimits.FormMarginBytes);
        using var form = new CartUploadForm();
        var tokenHeader = antiforgeryOptions.Value.HeaderName;
        var validated = tokenHeader is not null && http.Request.Headers.ContainsKey(tokenHeader)
            && await antiforgery.IsRequestValidAsync(http);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null, HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
            var parts = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++parts > RequestLimits.MaxFieldParts + Cart.MaxItems)
                {
                    return BackTo(back, UploadErrors.TooManyFields);
                }

                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    if (!validated)
                    {
                        return InvalidToken();
                    }

                    await form.ReceiveModelAsync(disposition, section.Body, store, Math.Min(maxModelBytes, allowance.BytesLeft - form.Bytes), cancellationToken);
                }
                else if (disposition.IsFormDisposition())
                {
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    var value = await ReadFieldAsync(section.Body, cancellationToken);
                    if (name == antiforgeryOptions.Value.FormFieldName && !validated && tokenHeader is not null)
                    {
                        http.Request.Headers[tokenHeader] = value;
                        validated = await antiforgery.IsRequestValidAsync(http);
                    }
                    else
                    {
                        form.Fields[name] = value;
                        if (name == "cart" && Cart.LooksLikeToken(value))
                        {
                            back = $"/cart/{value}";
                        }
                    }
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return allowance.BytesLeft < bodyLimit ? QuotaExceeded(back, allowance) : BackTo(back, UploadErrors.TooLarge);
        }

        if (!validated)
        {
            return InvalidToken();
        }

        var now = clock.GetUtcNow();
        var token = form.Fields.GetValueOrDefault("cart") is { Length: > 0 } fromForm ? fromForm : CartCookie.Read(http);
        var cart = await CartLookup.FindAsync(db, token, tracked: true, cancellationToken);
        if (cart is not null && cart.IsExpired(now))
        {
            if (form.Fields.ContainsKey("cart"))
            {
                return Results.Redirect($"/cart/{token}"); // the page says the quote expired; nothing was added
            }

            cart = null; // an old cookie: start a new quote
        }

        var errors = form.Validate(maxModelBytes, cart?.Catalogue);
        if (errors.Count > 0)
        {
            return errors.Contains(UploadErrors.QuotaExceeded) ? QuotaExceeded(back, allowance) : BackTo(back, [.. errors]);
        }

        if (!allowance.Allows(form.Bytes, form.Models.Count))
        {
            return QuotaExceeded(back, allowance);
        }

        if (cart is null)
        {
            (cart, token) = Cart.Create(LeadTime.Standard, now, shopOptions.Value.CartLifetime);
            db.Carts.Add(cart);
        }

        var items = form.Models.Select(m => new CartItem(Guid.CreateVersion7(now), m.Staged.Sha256, m.FileName, m.Staged.SizeBytes,
            form.Material!, null, form.Quality!, form.Quantity, null)).ToList();
        try
        {
            db.Publish(cart.Add(items, now, shopOptions.Value.CartLifetime), clock);
        }
        catch (CartRuleException refused)
        {
            return BackTo(back, refused.Code);
        }

        await UploadQuotas.RecordAsync(db, owner, form.Bytes, form.Models.Count, now, cancellationToken);
        foreach (var model in form.Models)
        {
            await store.CommitAsync(model.Staged, CartLookup.Holder(cart.Id), cancellationToken);
        }

        var cartId = cart.Id;
        db.AfterCommit(() => feed.Notify(ShopTopics.Cart(cartId)));
        await db.SaveChangesAsync(cancellationToken);
        CartCookie.Write(http, token!, cart.ExpiresAt);
        return Results.Redirect($"/cart/{token}");
    }

    private static IResult QuotaExceeded(string back, UploadAllowance allowance) =>
        Results.Redirect($"{back}?error={Uri.EscapeDataString(UploadErrors.QuotaExceeded)}&resets={allowance.ResetsAt.ToUnixTimeSeconds()}");

    private static IResult BackTo(string back, params string[] errors) =>
        Results.Redirect(back + "?" + string.Join('&', errors.Distinct().Select(code => "error=" + Uri.EscapeDataString(code))));

    private static IResult InvalidToken() =>
        Problems.Of(StatusCodes.Status400BadRequest, "request.antiforgery",
            "The form has expired or did not come from this site. Reload the page and try again.");

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldLength];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new string(buffer, 0, read).Trim();
    }

    /// <summary>What the quote form sent: the models (staged, not yet in the store) and the options they start with.</summary>
    private sealed class CartUploadForm : IDisposable
    {
        private readonly List<string> _modelErrors = [];
        private long _modelLimit = long.MaxValue;

        public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
        public List<(StagedModel Staged, string FileName)> Models { get; } = [];
        public long Bytes => Models.Sum(m => m.Staged.SizeBytes);
        public string? Material { get; private set; }
        public string? Quality { get; private set; }
        public int Quantity { get; private set; }

        public void Dispose()
        {
            foreach (var model in Models)
            {
                model.Staged.Dispose();
            }
        }

        public async Task ReceiveModelAsync(ContentDispositionHeaderValue disposition, Stream body, IModelStore store, long limit, CancellationToken cancellationToken)
        {
            var fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "");
            if (fileName.Length == 0)
            {
                return; // an empty file input sends a part without a name
            }

            if (Models.Count + _modelErrors.Count >= Cart.MaxItems)
            {
                _modelErrors.Add(CartErrors.TooManyItems);
                return;
            }

            if (!UploadErrors.Extensions.Contains(Path.GetExtension(fileName).ToLowerInvariant()))
            {
                _modelErrors.Add(UploadErrors.WrongExtension);
                return;
            }

            try
            {
                var staged = await store.StageAsync(body, Math.Max(0, limit), cancellationToken);
                if (staged.SizeBytes == 0)
                {
                    staged.Dispose();
                    _modelErrors.Add(UploadErrors.EmptyFile);
                    return;
                }

                Models.Add((staged, fileName.Length > 200 ? fileName[^200..] : fileName));
            }
            catch (ModelTooLargeException tooLarge)
            {
                _modelLimit = Math.Min(_modelLimit, tooLarge.Limit);
                _modelErrors.Add(UploadErrors.TooLarge);
            }
        }

        public List<string> Validate(long maxModelBytes, PriceCatalogue? catalogue)
        {
            var errors = _modelErrors
                .Select(e => e == UploadErrors.TooLarge && _modelLimit < maxModelBytes ? UploadErrors.QuotaExceeded : e)
                .ToList();
            if (errors.Count == 0 && Models.Count == 0)
            {
                errors.Add(UploadErrors.MissingFile);
            }

            var materials = catalogue?.Materials.Select(m => m.Name).ToArray() ?? UploadErrors.Materials;
            Material = materials.FirstOrDefault(m => string.Equals(m, Fields.GetValueOrDefault("material"), StringComparison.OrdinalIgnoreCase));
            if (Material is null)
            {
                errors.Add(UploadErrors.UnknownMaterial);
            }

            var qualities = catalogue?.Qualities.ToArray() ?? CartErrors.Qualities;
            var quality = Fields.GetValueOrDefault("quality");
            Quality = string.IsNullOrEmpty(quality) ? "Standard" : qualities.FirstOrDefault(q => string.Equals(q, quality, StringComparison.OrdinalIgnoreCase));
            if (Quality is null)
            {
                errors.Add(CartErrors.UnknownQuality);
            }

            var quantityText = Fields.GetValueOrDefault("quantity");
            if (string.IsNullOrEmpty(quantityText))
            {
                Quantity = 1;
            }
            else if (!int.TryParse(quantityText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quantity)
                     || quantity is < 1 or > Cart.MaxQuantity)
            {
                errors.Add(CartErrors.BadQuantity);
            }
            else
            {
                Quantity = quantity;
            }

            return errors;
        }
    }
}
