using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PrintFlow.Contracts;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Partners.Endpoints;

/// <summary>
/// POST /orders: reads the multipart form (models streamed into the model store), then creates the order and its
/// OrderSubmitted event in one SaveChanges. An Idempotency-Key makes retries return the first answer.
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
                $"The {IdempotencyHeader} header must hold 1 to {MaxIdempotencyKeyLength} printable characters.");
        }

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "request.multipart-required",
                "Send the order as multipart/form-data with the model files and the order fields.");
        }

        AllowLargeBody(http, printFlow.Value.MaxModelBytes, options.Value.MaxModelsPerOrder);
        OrderForm form;
        try
        {
            form = await OrderForm.ReadAsync(http.Request, boundary, store, options.Value.MaxModelsPerOrder, cancellationToken);
        }
        catch (ModelTooLargeException tooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "upload.too-large", tooLarge.Message);
        }
        catch (BadHttpRequestException badRequest) when (badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "upload.too-large", "The request is larger than an order may be.");
        }
        catch (InvalidDataException)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "request.malformed-multipart",
                "The multipart/form-data body could not be read; check the boundary and the part headers.");
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

        var partner = http.Features.Get<AuthenticatedPartner>()?.Partner
            ?? await db.Partners.AsNoTracking().FirstAsync(p => p.Id == partnerId, cancellationToken);
        var orderId = Guid.CreateVersion7(now);
        OrderItem[] items = [.. request.Models.Select(m =>
            new OrderItem(Guid.CreateVersion7(now), m.Sha256, m.FileName, m.SizeBytes, request.Material, request.Quantity))];
        var order = PartnerOrder.Submit(orderId, partnerId, request.Reference, items, request.LeadTime, request.DueDate, now);
        db.Orders.Add(order);
        db.Publish(order.ToSubmitted(partner), clock);
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
                $"This {IdempotencyHeader} was already used for a different order request; use a new key for a new order.");
        }

        http.Response.Headers[ReplayedHeader] = "true";
        var response = JsonSerializer.Deserialize<OrderCreated>(record.ResponseBody, ResponseJson)
            ?? throw new InvalidOperationException($"Idempotency record {record.Key} has no response.");
        return TypedResults.Accepted(OrderEndpoints.LocationOf(record.OrderId), response);
    }

    private static ProblemHttpResult Invalid(List<FieldError> errors)
    {
        var first = errors[0];
        var problem = Problems.Of(StatusCodes.Status400BadRequest, first.Code,
            errors.Count == 1 ? first.Detail : $"{first.Detail} ({errors.Count - 1} more problem(s) listed in 'errors'.)");
        problem.ProblemDetails.Extensions["errors"] = errors.Select(e => new { code = e.Code, detail = e.Detail }).ToArray();
        return problem;
    }

    /// <summary>Lifts the server's default body limit (about 30 MB) to what an order may legitimately carry.</summary>
    private static void AllowLargeBody(HttpContext http, long maxModelBytes, int maxModels)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            const long formOverhead = 1024 * 1024;
            limit.MaxRequestBodySize = checked(maxModelBytes * maxModels + formOverhead);
        }
    }
}
