using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using PrintFlow.Mes.Work;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Security;
using PrintFlow.ServiceDefaults.Uploads;

namespace PrintFlow.Mes.Shipping;

/// <summary>What a carrier's callback answers: the event as applied.</summary>
public sealed record CarrierEventAccepted(string EventId, string TrackingNumber, string OrderNumber, string Stage, bool Duplicate);

/// <summary>
/// <c>POST /api/carriers/{carrier}/events</c>: a carrier reports a tracking event. Unknown carrier → 404; callbacks not
/// configured → 404; a bad signature or secret → 401, counted per address (then 429); a body that is not the event → 400.
/// The same event (carrier, tracking number, event id) applies once; "delivered" moves the order to Delivered.
/// </summary>
public static partial class CarrierCallbackEndpoint
{
    public const string SignatureHeader = "X-Carrier-Signature";
    public const int MaxBodyBytes = 16 * 1024;
    private const int MaxEventIdLength = 100;

    public static async Task<Results<Ok<CarrierEventAccepted>, ProblemHttpResult>> HandleAsync(
        string carrier, HttpContext http, CarrierBook carriers, CarrierAuthAttempts attempts, FloorWork work,
        ILogger<CarrierBook> logger, CancellationToken cancellationToken)
    {
        if (carriers.Find(carrier) is not { } known)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "carrier.unknown",
                "There is no carrier with this code; the address is /api/carriers/{code}/events with a configured carrier's code.");
        }

        var address = http.Connection.RemoteIpAddress;
        if (attempts.RetryAfter(address) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "carrier.auth-throttled",
                "Too many callbacks with a bad signature came from your address; try again after the time in Retry-After.");
        }

        if (string.IsNullOrEmpty(known.Options.CallbackSecret))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "carrier.callbacks-disabled",
                $"Callbacks from {known.NameEn} are not set up here (no secret is configured).");
        }

        RequestLimits.AllowBody(http, MaxBodyBytes);
        byte[] body;
        try
        {
            body = await ReadBodyAsync(http.Request.Body, cancellationToken);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }
        catch (InvalidDataException)
        {
            return TooLarge();
        }

        if (!Authentic(known, http.Request, body))
        {
            attempts.Failed(address, known.Code);
            logger.LogWarning("A callback for carrier {Carrier} was refused: bad or missing signature", known.Code);
            return Problems.Of(StatusCodes.Status401Unauthorized, "carrier.unauthorized", known.Options.CallbackAuth == CarrierCallbackAuth.Hmac
                ? $"The {SignatureHeader} header must be sha256=<hex HMAC-SHA256 of the body with the carrier's secret>."
                : "The Authorization header must be Bearer <the carrier's secret>.");
        }

        if (Parse(body) is not { } parsed)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "carrier.event-malformed",
                "The body must be a JSON object with eventId, trackingNumber and status.");
        }

        if (parsed.Problem is { } problem)
        {
            return problem;
        }

        var result = await work.CarrierEventAsync(known, parsed.TrackingNumber, parsed.EventId, parsed.Status, cancellationToken);
        if (result is not { } applied)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "carrier.tracking-unknown",
                $"No parcel shipped with {known.NameEn} has this tracking number.");
        }

        return TypedResults.Ok(new CarrierEventAccepted(parsed.EventId, parsed.TrackingNumber, applied.OrderNumber, applied.Stage.ToString(), applied.Repeated));
    }

    /// <summary>The HMAC or bearer secret, compared in constant time.</summary>
    public static bool Authentic(Carrier carrier, HttpRequest request, byte[] body)
    {
        var secret = Encoding.UTF8.GetBytes(carrier.Options.CallbackSecret ?? "");
        if (carrier.Options.CallbackAuth == CarrierCallbackAuth.Bearer)
        {
            return BearerToken.Presents(request, SHA256.HashData(secret));
        }

        var signature = request.Headers[SignatureHeader].ToString().Trim();
        if (!signature.StartsWith("sha256=", StringComparison.OrdinalIgnoreCase) || signature.Length != "sha256=".Length + 64)
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan("sha256=".Length));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(secret, body));
    }

    /// <summary>The signature a carrier sends for <paramref name="body"/> (for its documentation and tests).</summary>
    public static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private sealed record ParsedEvent(string EventId, string TrackingNumber, string Status, ProblemHttpResult? Problem);

    private static ParsedEvent? Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var eventId = StringOf(document.RootElement, "eventId");
            var tracking = StringOf(document.RootElement, "trackingNumber")?.ToUpperInvariant();
            var status = StringOf(document.RootElement, "status")?.ToLowerInvariant();
            ProblemHttpResult? problem = null;
            if (eventId is null || eventId.Length > MaxEventIdLength || !PrintableId().IsMatch(eventId))
            {
                problem = Problems.Of(StatusCodes.Status400BadRequest, "carrier.event-id-invalid",
                    $"eventId must be 1 to {MaxEventIdLength} letters, digits and . _ : - characters.");
            }
            else if (tracking is null || tracking.Length > CarrierBook.MaxTrackingLength || !PrintableId().IsMatch(tracking))
            {
                problem = Problems.Of(StatusCodes.Status400BadRequest, "carrier.tracking-invalid",
                    $"trackingNumber must be 1 to {CarrierBook.MaxTrackingLength} letters, digits and dashes.");
            }
            else if (status is null || !CarrierStatuses.All.Contains(status))
            {
                problem = Problems.Of(StatusCodes.Status400BadRequest, "carrier.status-unknown",
                    $"status must be one of: {string.Join(", ", CarrierStatuses.All)}.");
            }

            return new ParsedEvent(eventId ?? "", tracking ?? "", status ?? "", problem);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringOf(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text.Trim()
            : null;

    private static async Task<byte[]> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException("The body is larger than a carrier event may be.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ProblemHttpResult TooLarge() =>
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "carrier.event-too-large", $"A carrier event may be at most {MaxBodyBytes / 1024} KiB.");

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+$")]
    private static partial Regex PrintableId();
}
