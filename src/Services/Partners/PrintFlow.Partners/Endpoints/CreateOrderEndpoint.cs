using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PrintFlow.Contracts;
using PrintFlow.ModelStorage;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Uploads;

namespace PrintFlow.Partners.Endpoints;

/// <summary>
/// POST /orders: reads the multipart form (models streamed into the store's temporary area), validates it, checks the
/// partner's upload quota, then commits the models held by the order and saves the order and its OrderSubmitted event
/// in one SaveChanges. An Idempotency-Key makes retries return the first answer (their models are not kept).
/// </summary>
internal static class CreateOrderEndpoint
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxIdempotencyKeyLength = 255;
    private static readonly JsonSerializerOptions ResponseJson = new(JsonSerializerDefaults.Web);

    public static async Task<Results<Accepted<OrderCreated>, ProblemHttpResult>> HandleAsync(
        HttpContext http,
        PartnersDbContext db,
        IModelStore store,
        IOptions<PartnersOptions> options,
        IOptions<PrintFlowOptions> printFlow,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var partnerId = http.User.PartnerId();
        var idempotencyKey = http.Request.Headers[IdempotencyHeader].ToString().Trim();
        if (http.Request.Headers.ContainsKey(IdempotencyHeader)
            && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength || idempotencyKey.Any(char.IsControl)))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "idempotency.key-invalid",
                PartnersStrings.Get("Problem.idempotency.key-invalid", IdempotencyHeader, MaxIdempotencyKeyLength));
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "request.multipart-required",
                PartnersStrings.Get("Problem.request.multipart-required"));
        }

        var maxModelBytes = printFlow.Value.MaxModelBytes;
        var maxModels = options.Value.MaxModelsPerOrder;

        // Refused before a byte of the body is read when the partner has used up the day's quota.
        var owner = partnerId.ToString("N");
        var allowance = await UploadQuotas.AllowanceAsync(
            db, owner, options.Value.UploadBytesPerDay, options.Value.UploadModelsPerDay, clock.GetUtcNow(), cancellationToken);
        if (allowance.Exhausted)
        {
            return QuotaExceeded(http, allowance, clock);
        }

        // The body may carry what an order may (and the quota still allows), never more: a larger declared length is refused unread.
        RequestLimits.AllowBody(http, Math.Min(checked(maxModelBytes * maxModels), allowance.BytesLeft) + RequestLimits.FormMarginBytes);

        // Models are staged while the form is read and enter the store only with a valid order; disposing removes them.
        using var form = new OrderForm();
        try
        {
            await form.ReadAsync(http.Request, boundary, store, maxModels, maxModelBytes, allowance.BytesLeft, cancellationToken);
        }
        catch (ModelTooLargeException tooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "upload.too-large", tooLarge.Message);
        }
        catch (QuotaExceededException)
        {
            return QuotaExceeded(http, allowance, clock);
        }
        catch (BadHttpRequestException badRequest) when (badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            if (allowance.BytesLeft < maxModelBytes * maxModels)
            {
                return QuotaExceeded(http, allowance, clock); // the body limit was the quota's
            }

            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "upload.too-large", PartnersStrings.Get("Problem.upload.too-large.order"));
        }
        catch (InvalidDataException)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "request.malformed-multipart",
                PartnersStrings.Get("Problem.request.malformed-multipart"));
        }

        var now = clock.GetUtcNow();
        var (request, errors) = OrderRequest.From(form, now);
        if (request is null)
        {
            return Invalid(errors);
        }

        var fingerprint = request.Fingerprint();
        if (idempotencyKey.Length > 0 && await FindRecordAsync(db, partnerId, idempotencyKey, cancellationToken) is { } earlier)
        {
            return Replay(http, earlier, fingerprint);
        }

        if (!allowance.Allows(form.StagedBytes, request.Models.Count))
        {
            return QuotaExceeded(http, allowance, clock);
        }

        var partner = http.Features.Get<AuthenticatedPartner>()?.Partner
            ?? await db.Partners.AsNoTracking().FirstAsync(p => p.Id == partnerId, cancellationToken);
        var orderId = Guid.CreateVersion7(now);
        OrderItem[] items = [.. request.Models.Select(m =>
            new OrderItem(Guid.CreateVersion7(now), m.Sha256, m.FileName, m.SizeBytes, request.Material, request.Quantity))];
        // Read fresh rather than from the key cache: a default changed a moment ago applies to the next order.
        var shipTo = request.ShipTo ?? await db.Partners.AsNoTracking().Where(p => p.Id == partnerId).Select(p => p.DefaultShipTo).FirstOrDefaultAsync(cancellationToken);
        var order = PartnerOrder.Submit(orderId, partnerId, request.Reference, items, request.LeadTime, request.DueDate, now, shipTo);
        db.Orders.Add(order);
        db.Publish(order.ToSubmitted(partner), clock);
        await UploadQuotas.RecordAsync(db, owner, form.StagedBytes, request.Models.Count, now, cancellationToken);
        foreach (var model in request.Models)
        {
            await store.CommitAsync(model.Staged, $"partners-{orderId:N}", cancellationToken);
        }

        var response = new OrderCreated(order.Id, order.OrderNumber, order.Status.ToString(), order.Reference, order.CreatedAt, OrderLinks.For(order.Id));
        if (idempotencyKey.Length > 0)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord(partnerId, idempotencyKey, fingerprint, orderId,
                StatusCodes.Status202Accepted, JsonSerializer.Serialize(response, ResponseJson), now));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (idempotencyKey.Length > 0)
        {
            // The same key raced in from a parallel retry and committed first: answer as that request did.
            db.ChangeTracker.Clear();
            if (await FindRecordAsync(db, partnerId, idempotencyKey, cancellationToken) is { } winner)
            {
                return Replay(http, winner, fingerprint);
            }

            throw;
        }

        return TypedResults.Accepted(OrderEndpoints.LocationOf(orderId), response);
    }

    private static Task<IdempotencyRecord?> FindRecordAsync(PartnersDbContext db, Guid partnerId, string key, CancellationToken cancellationToken) =>
        PartnerQueries.IdempotencyRecord.For(db)(db, partnerId, key, cancellationToken);

    private static Results<Accepted<OrderCreated>, ProblemHttpResult> Replay(HttpContext http, IdempotencyRecord record, string fingerprint)
    {
        if (!record.Matches(fingerprint))
        {
            return Problems.Of(StatusCodes.Status422UnprocessableEntity, "idempotency.key-reused",
                PartnersStrings.Get("Problem.idempotency.key-reused", IdempotencyHeader));
        }

        http.Response.Headers[ReplayedHeader] = "true";
        var response = JsonSerializer.Deserialize<OrderCreated>(record.ResponseBody, ResponseJson)
            ?? throw new InvalidOperationException($"Idempotency record {record.Key} has no response.");
        return TypedResults.Accepted(OrderEndpoints.LocationOf(record.OrderId), response);
    }

    internal static ProblemHttpResult Invalid(List<FieldError> errors)
    {
        // A request may carry thousands of bad fields: the answer lists a bounded number and counts the rest.
        var first = errors[0];
        var listed = errors.Take(RequestLimits.MaxErrorsListed).Select(e => new { code = e.Code, detail = e.Detail }).ToArray();
        var omitted = errors.Count - listed.Length;
        var problem = Problems.Of(StatusCodes.Status400BadRequest, first.Code,
            errors.Count == 1 ? first.Detail
            : omitted == 0 ? PartnersStrings.Get("Problem.MoreListed", first.Detail, errors.Count - 1)
            : PartnersStrings.Get("Problem.MoreNotListed", first.Detail, listed.Length - 1, omitted));
        problem.ProblemDetails.Extensions["errors"] = listed;
        if (omitted > 0)
        {
            problem.ProblemDetails.Extensions["errorsOmitted"] = omitted;
        }

        return problem;
    }

    private static ProblemHttpResult QuotaExceeded(HttpContext http, UploadAllowance allowance, TimeProvider clock)
    {
        http.Response.Headers.RetryAfter = allowance.RetryAfterSeconds(clock.GetUtcNow()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var problem = Problems.Of(StatusCodes.Status429TooManyRequests, UploadQuotas.ExceededCode, allowance.Sentence());
        problem.ProblemDetails.Extensions["resetsAt"] = allowance.ResetsAt;
        return problem;
    }
}
