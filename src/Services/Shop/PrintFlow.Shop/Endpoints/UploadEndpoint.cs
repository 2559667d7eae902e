using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults;
using PrintFlow.Shop.Data;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Endpoints;

/// <summary>
/// Places an order from the storefront's upload form. The multipart body is read section by section and the model
/// streamed straight into the model store, so a large file is never held in memory or buffered by form parsing.
/// The form sends its antiforgery token before the file; it is validated before the file is read.
/// </summary>
internal static class UploadEndpoint
{
    private const int MaxFieldLength = 4096;
    private const long MultipartOverheadBytes = 1024 * 1024;

    public static async Task<IResult> PlaceOrderAsync(
        HttpContext http,
        ClaimsPrincipal user,
        IAntiforgery antiforgery,
        IOptions<AntiforgeryOptions> antiforgeryOptions,
        IOptions<PrintFlowOptions> options,
        IModelStore store,
        ShopDbContext db,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var maxModelBytes = options.Value.MaxModelBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = maxModelBytes + MultipartOverheadBytes;
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return BackToForm([UploadErrors.NotMultipart]);
        }

        var upload = new UploadForm();
        var tokenHeader = antiforgeryOptions.Value.HeaderName;
        var validated = tokenHeader is not null && http.Request.Headers.ContainsKey(tokenHeader)
            && await antiforgery.IsRequestValidAsync(http);
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
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

                    await upload.ReceiveModelAsync(disposition, section.Body, store, cancellationToken);
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
            return BackToForm([UploadErrors.TooLarge]);
        }

        if (!validated)
        {
            return InvalidToken();
        }

        var errors = upload.Validate();
        if (errors.Count > 0)
        {
            return BackToForm(errors);
        }

        if (!Guid.TryParse(user.Id(), out var customerId) || await db.Customers.FindAsync([customerId], cancellationToken) is not { } customer)
        {
            return Results.Redirect("/login?returnUrl=%2F");
        }

        var now = clock.GetUtcNow();
        var item = new OrderItem(Guid.CreateVersion7(now), upload.Model!.Sha256, upload.FileName!, upload.Model.SizeBytes, upload.Material!, upload.Quantity);
        var order = ShopOrder.Submit(customer, [item], upload.LeadTime, now);
        db.Orders.Add(order);
        db.Publish(order.ToSubmitted(), clock);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect($"/orders/{order.Id}");
    }

    private static IResult BackToForm(IEnumerable<string> errors) =>
        Results.Redirect("/?" + string.Join('&', errors.Select(code => "error=" + Uri.EscapeDataString(code))));

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

    /// <summary>What the form sent, and the checks that turn it into an order item.</summary>
    private sealed class UploadForm
    {
        public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
        public StoredModel? Model { get; private set; }
        public string? FileName { get; private set; }
        public string? Material { get; private set; }
        public int Quantity { get; private set; }
        public LeadTime LeadTime { get; private set; }
        private string? _modelError;

        public async Task ReceiveModelAsync(ContentDispositionHeaderValue disposition, Stream body, IModelStore store, CancellationToken cancellationToken)
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
                var stored = await store.SaveAsync(body, cancellationToken);
                if (stored.SizeBytes == 0)
                {
                    _modelError = UploadErrors.EmptyFile;
                    return;
                }

                Model = stored;
                FileName = fileName.Length > 200 ? fileName[^200..] : fileName;
            }
            catch (ModelTooLargeException)
            {
                _modelError = UploadErrors.TooLarge;
            }
        }

        public List<string> Validate()
        {
            var errors = new List<string>();
            if (_modelError is not null)
            {
                errors.Add(_modelError);
            }
            else if (Model is null)
            {
                errors.Add(UploadErrors.MissingFile);
            }

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
