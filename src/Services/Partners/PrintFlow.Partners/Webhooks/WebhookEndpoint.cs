using System.Buffers.Text;
using System.Security.Cryptography;

namespace PrintFlow.Partners.Webhooks;

/// <summary>
/// A partner's registered receiver: its URL, the event types it wants and its signing secret (stored encrypted with the
/// deployment's data-protection keys; shown to the partner once). After a rotation the previous secret still signs
/// deliveries until <see cref="PreviousSecretExpiresAt"/>, so a partner can switch its receiver without losing events.
/// </summary>
public sealed class WebhookEndpoint
{
    public const string SecretPrefix = "whsec_";

    private WebhookEndpoint()
    {
    }

    public Guid Id { get; private set; }
    public Guid PartnerId { get; private set; }
    public string Url { get; private set; } = "";

    /// <summary>The subscribed event types, comma-separated.</summary>
    public string Events { get; private set; } = "";

    public string? Description { get; private set; }

    /// <summary>The current secret, protected (<see cref="WebhookSecrets"/>).</summary>
    public string ProtectedSecret { get; private set; } = "";

    public string? ProtectedPreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SecretRotatedAt { get; private set; }

    public IReadOnlyList<string> EventTypes => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Wants(string eventType) => EventTypes.Contains(eventType, StringComparer.Ordinal);

    public static WebhookEndpoint Register(
        Guid partnerId, Uri url, IReadOnlyList<string> events, string? description, WebhookSecrets secrets, DateTimeOffset now, out string secret)
    {
        secret = NewSecret();
        return new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now),
            PartnerId = partnerId,
            Url = url.AbsoluteUri,
            Events = string.Join(',', events),
            Description = description,
            ProtectedSecret = secrets.Protect(secret),
            CreatedAt = now,
        };
    }

    /// <summary>A new secret; the old one keeps signing (as a second <c>v1</c>) for <paramref name="overlap"/>.</summary>
    public string RotateSecret(WebhookSecrets secrets, DateTimeOffset now, TimeSpan overlap)
    {
        var secret = NewSecret();
        ProtectedPreviousSecret = overlap > TimeSpan.Zero ? ProtectedSecret : null;
        PreviousSecretExpiresAt = overlap > TimeSpan.Zero ? now + overlap : null;
        ProtectedSecret = secrets.Protect(secret);
        SecretRotatedAt = now;
        return secret;
    }

    /// <summary>The secrets that sign a delivery made at <paramref name="now"/>: the current one first.</summary>
    public IReadOnlyList<byte[]> SigningKeys(WebhookSecrets secrets, DateTimeOffset now)
    {
        var keys = new List<byte[]> { secrets.KeyOf(ProtectedSecret) };
        if (ProtectedPreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            keys.Add(secrets.KeyOf(ProtectedPreviousSecret));
        }

        return keys;
    }

    private static string NewSecret() => SecretPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
