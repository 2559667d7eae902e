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
using PrintFlow.Shop.Handlers;

namespace PrintFlow.Shop.Endpoints;

/// <summary>
/// Places an order from the storefront's upload form. The multipart body is read section by section and the model
/// streamed into the store's temporary area, so a large file is never held in memory or buffered by form parsing.
/// The form sends its antiforgery token before the file; it is validated before the file is read. The model enters
/// the store, held by the order, only once the whole form is valid and within the customer's upload quota.
/// </summary>
internal static class UploadEndpoint
{
    private const int MaxFieldLength = 4096;

    public static async Task<IResult> PlaceOrderAsync(
        HttpContext http,
        ClaimsPrincipal user,
        IAntiforgery antiforgery,
        IOptions<AntiforgeryOptions> antiforgeryOptions,
        IOptions<PrintFlowOptions> options,
        IOptions<ShopOptions> shopOptions,
        IOptions<Accounts.AccountEmailOptions> accountEmails,
        IModelStore store,
        ShopDbContext db,
        LiveFeed feed,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var maxModelBytes = options.Value.MaxModelBytes;
        if (!Guid.TryParse(user.Id(), out var customerId))
        {
            return Results.Redirect("/login?returnUrl=%2F");
        }

        // Before a byte of the body is read: an unverified account is asked to verify, and nothing is stored.
        if (accountEmails.Value.RequireVerifiedEmail && !await CustomerAccountEndpoints.IsVerifiedAsync(db, customerId, cancellationToken))
        {
            return Results.Redirect($"{Accounts.AccountEmails.VerifyPath}?required=1");
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return BackToForm([UploadErrors.NotMultipart]);
        }

        // Refused before a byte of the body is read when the customer has used up the day's quota.
        var owner = customerId.ToString("N");
        var allowance = await UploadQuotas.AllowanceAsync(
            db, owner, shopOptions.Value.UploadBytesPerDay, shopOptions.Value.UploadModelsPerDay, clock.GetUtcNow(), cancellationToken);
        if (allowance.Exhausted)
        {
            return QuotaExceeded(allowance);
        }

        RequestLimits.AllowBody(http, Math.Min(maxModelBytes, allowance.BytesLeft) + RequestLimits.FormMarginBytes);
        using var upload = new UploadForm();
        var tokenHeader = antiforgeryOptions.Value.HeaderName;
        var validated = tokenHeader is not null && http.Request.Headers.ContainsKey(tokenHeader)
            && await antiforgery.IsRequestValidAsync(http);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null, HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
            var parts = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++parts > RequestLimits.MaxFieldParts)
                {
                    return BackToForm([UploadErrors.TooManyFields]); // stops reading: nothing more of the body is stored
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

                    await upload.ReceiveModelAsync(disposition, section.Body, store, Math.Min(maxModelBytes, allowance.BytesLeft), cancellationToken);
                }
                else if (disposition.IsFormDisposition())
                {
                    var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                    var value = await ReadFieldAsync(section.Body, cancellationToken);
                    if (name == antiforgeryOptions.Value.FormFieldName && !validated && tokenHeader is not null)
                    {
                        // Hand the streamed token to the validator the way a script would send it, so it need not parse the form.
                        http.Request.Headers[tokenHeader] = value;
                        validated = await antiforgery.IsRequestValidAsync(http);
                    }
                    else
                    {
                        upload.Fields[name] = value;
                    }
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return allowance.BytesLeft < maxModelBytes ? QuotaExceeded(allowance) : BackToForm([UploadErrors.TooLarge]);
        }

        if (!validated)
        {
            return InvalidToken();
        }

        var errors = upload.Validate(maxModelBytes);
        var shipping = await CheckoutAddress.ResolveAsync(db, customerId, upload.Fields, cancellationToken);
        errors.AddRange(shipping.ErrorCodes);
        if (errors.Count > 0)
        {
            return errors.Contains(UploadErrors.QuotaExceeded) ? QuotaExceeded(allowance)
                : BackToForm(errors, shipping.ErrorCodes.Count > 0 ? CheckoutAddress.Echo(upload.Fields) : []);
        }

        if (!allowance.Allows(upload.Model!.SizeBytes, 1))
        {
            return QuotaExceeded(allowance);
        }

        if (await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return Results.Redirect("/login?returnUrl=%2F");
        }

        var now = clock.GetUtcNow();
        var item = new OrderItem(Guid.CreateVersion7(now), upload.Model.Sha256, upload.FileName!, upload.Model.SizeBytes, upload.Material!, upload.Quantity);
        var order = ShopOrder.Submit(customer, [item], upload.LeadTime, now, shipping.Address);
        db.Orders.Add(order);
        await CheckoutAddress.RememberAsync(db, customer.Id, shipping, now, cancellationToken);
        db.Publish(order.ToSubmitted(), clock);
        db.AfterCommit(() => feed.Notify(ShopTopics.Customer(customer.Id)));
        await UploadQuotas.RecordAsync(db, owner, upload.Model.SizeBytes, 1, now, cancellationToken);
        await store.CommitAsync(upload.Model, $"shop-{order.Id:N}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/orders/{order.Id}");
    }

    private static IResult QuotaExceeded(UploadAllowance allowance) =>
        Results.Redirect($"/?error={Uri.EscapeDataString(UploadErrors.QuotaExceeded)}&resets={allowance.ResetsAt.ToUnixTimeSeconds()}");

    private static IResult BackToForm(IEnumerable<string> errors, IEnumerable<KeyValuePair<string, string>>? echo = null) =>
        Results.Redirect("/?" + string.Join('&', errors.Select(code => "error=" + Uri.EscapeDataString(code))
            .Concat((echo ?? []).Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}"))));

    private static IResult InvalidToken() =>
        Problems.Of(StatusCodes.Status400BadRequest, "request.antiforgery",
            ServiceDefaults.Localization.Texts.Get<ShopStrings>("Problem.request.antiforgery"));

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1024, leaveOpen: true);
        var buffer = new char[MaxFieldLength];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new string(buffer, 0, read).Trim();
    }

    /// <summary>What the form sent, and the checks that turn it into an order item.</summary>
    private sealed class UploadForm : IDisposable
    {
        public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
        public StagedModel? Model { get; private set; }
        public string? FileName { get; private set; }
        public string? Material { get; private set; }
        public int Quantity { get; private set; }
        public LeadTime LeadTime { get; private set; }
        private string? _modelError;
        private long _modelLimit;

        public void Dispose() => Model?.Dispose();

        public async Task ReceiveModelAsync(ContentDispositionHeaderValue disposition, Stream body, IModelStore store, long limit, CancellationToken cancellationToken)
        {
            if (Model is not null || _modelError is not null)
            {
                return; // one model per order; the reader skips the rest of this part
            }

            var fileName = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "");
            if (fileName.Length == 0)
            {
                _modelError = UploadErrors.MissingFile;
                return;
            }

            if (!UploadErrors.Extensions.Contains(Path.GetExtension(fileName).ToLowerInvariant()))
            {
                _modelError = UploadErrors.WrongExtension;
                return;
            }

            try
            {
                var staged = await store.StageAsync(body, limit, cancellationToken);
                if (staged.SizeBytes == 0)
                {
                    staged.Dispose();
                    _modelError = UploadErrors.EmptyFile;
                    return;
                }

                Model = staged;
                FileName = fileName.Length > 200 ? fileName[^200..] : fileName;
            }
            catch (ModelTooLargeException tooLarge)
            {
                _modelLimit = tooLarge.Limit;
                _modelError = UploadErrors.TooLarge;
            }
        }

        public List<string> Validate(long maxModelBytes)
        {
            var errors = new List<string>();
            if (_modelError is not null)
            {
                // A limit below the largest model allowed was the quota's, not the model size's.
                errors.Add(_modelError == UploadErrors.TooLarge && _modelLimit < maxModelBytes ? UploadErrors.QuotaExceeded : _modelError);
            }
            else if (Model is null)
            {
                errors.Add(UploadErrors.MissingFile);
            }

            errors.AddRange(FieldErrors());
            return errors;
        }

        private List<string> FieldErrors()
        {
            var errors = new List<string>();
            Material = UploadErrors.Materials.FirstOrDefault(m => string.Equals(m, Fields.GetValueOrDefault("material"), StringComparison.OrdinalIgnoreCase));
            if (Material is null)
            {
                errors.Add(UploadErrors.UnknownMaterial);
            }

            if (!int.TryParse(Fields.GetValueOrDefault("quantity"), NumberStyles.None, CultureInfo.InvariantCulture, out var quantity)
                || quantity < 1 || quantity > UploadErrors.MaxQuantity)
            {
                errors.Add(UploadErrors.BadQuantity);
            }

            Quantity = quantity;
            var leadTime = Fields.GetValueOrDefault("leadTime");
            if (string.IsNullOrEmpty(leadTime))
            {
                LeadTime = LeadTime.Standard;
            }
            else if (Enum.TryParse<LeadTime>(leadTime, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(leadTime[0]))
            {
                LeadTime = parsed;
            }
            else
            {
                errors.Add(UploadErrors.UnknownLeadTime);
            }

            return errors;
        }
    }
}
