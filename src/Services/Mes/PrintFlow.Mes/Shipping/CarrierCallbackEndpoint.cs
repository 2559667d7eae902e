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
using PrintFlow.ServiceDefaults.Localization;

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
                Texts.Get<MesStrings>("Carrier.Unknown"));
        }

        var address = http.Connection.RemoteIpAddress;
        if (attempts.RetryAfter(address) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Problems.Of(StatusCodes.Status429TooManyRequests, "carrier.auth-throttled",
                Texts.Get<MesStrings>("Carrier.AuthThrottled"));
        }

        if (string.IsNullOrEmpty(known.Options.CallbackSecret))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "carrier.callbacks-disabled",
                Texts.Get<MesStrings>("Carrier.CallbacksDisabled", known.NameEn));
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
                ? Texts.Get<MesStrings>("Carrier.UnauthorizedHmac", SignatureHeader)
                : Texts.Get<MesStrings>("Carrier.UnauthorizedBearer"));
        }

        if (Parse(body) is not { } parsed)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "carrier.event-malformed",
                Texts.Get<MesStrings>("Carrier.EventMalformed"));
        }

        if (parsed.Problem is { } problem)
        {
            return problem;
        }

        var result = await work.CarrierEventAsync(known, parsed.TrackingNumber, parsed.EventId, parsed.Status, cancellationToken);
        if (result is not { } applied)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "carrier.tracking-unknown",
                Texts.Get<MesStrings>("Carrier.TrackingUnknown", known.NameEn));
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
                    Texts.Get<MesStrings>("Carrier.EventIdInvalid", MaxEventIdLength));
            }
            else if (tracking is null || tracking.Length > CarrierBook.MaxTrackingLength || !PrintableId().IsMatch(tracking))
            {
                problem = Problems.Of(StatusCodes.Status400BadRequest, "carrier.tracking-invalid",
                    Texts.Get<MesStrings>("Carrier.TrackingInvalid", CarrierBook.MaxTrackingLength));
            }
            else if (status is null || !CarrierStatuses.All.Contains(status))
            {
                problem = Problems.Of(StatusCodes.Status400BadRequest, "carrier.status-unknown",
                    Texts.Get<MesStrings>("Carrier.StatusUnknown", string.Join(", ", CarrierStatuses.All)));
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
        Problems.Of(StatusCodes.Status413PayloadTooLarge, "carrier.event-too-large", Texts.Get<MesStrings>("Carrier.EventTooLarge", MaxBodyBytes / 1024));

    [GeneratedRegex(@"^[A-Za-z0-9._:-]+$")]
    private static partial Regex PrintableId();
}
