namespace PrintFlow.Notifications.Domain;

public enum NotificationState
{
    Pending,
    Sent,
    Parked,
}

/// <summary>
/// One email to one recipient about one event, stored with the inbox row of the event that caused it and before any
/// attempt to send it; its key (event, recipient, kind) makes a second copy impossible, however often the event arrives.
/// </summary>
public sealed class Notification
{
    public const int MaxErrorLength = 500;

    private Notification()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>What the email is about, independent of the message that carried it: a republished status keeps its key.</summary>
    public string EventKey { get; private set; } = "";

    public MessageKind Kind { get; private set; }
    public string Recipient { get; private set; } = "";
    public string RecipientName { get; private set; } = "";
    public Guid OrderId { get; private set; }
    public string CustomerId { get; private set; } = "";
    public string Language { get; private set; } = "ru";
    public string Subject { get; private set; } = "";
    public string HtmlBody { get; private set; } = "";
    public string TextBody { get; private set; } = "";

    /// <summary>The one-click unsubscribe address of the List-Unsubscribe header (RFC 8058); the body links to the preferences page.</summary>
    public string UnsubscribeUrl { get; private set; } = "";

    /// <summary>When the event happened, for the event-to-send latency.</summary>
    public DateTimeOffset EventAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public NotificationState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? ParkedAt { get; private set; }
    public string? LastError { get; private set; }

    /// <summary>The sender instance that holds the row while it sends, until <see cref="LockedUntil"/>.</summary>
    public Guid? LockedBy { get; private set; }

    public DateTimeOffset? LockedUntil { get; private set; }

    public static Notification Create(
        string eventKey, MessageKind kind, string recipient, string recipientName, Guid orderId, string customerId,
        RenderedMessage message, DateTimeOffset eventAt, DateTimeOffset now) => new()
        {
            Id = Guid.CreateVersion7(now),
            EventKey = eventKey,
            Kind = kind,
            Recipient = recipient,
            RecipientName = recipientName,
            OrderId = orderId,
            CustomerId = customerId,
            Language = message.Language,
            Subject = message.Subject,
            HtmlBody = message.Html,
            TextBody = message.Text,
            UnsubscribeUrl = message.UnsubscribeUrl,
            EventAt = eventAt,
            CreatedAt = now,
            State = NotificationState.Pending,
            NextAttemptAt = now,
        };

    /// <summary>The Message-ID header: the same on every attempt, so a mail system that got a copy before may recognise a resend.</summary>
    public string MessageIdHeader => $"{Id:N}@printflow.notifications";
}

/// <summary>An email as rendered for its recipient, in one language.</summary>
public sealed record RenderedMessage(string Language, string Subject, string Html, string Text, string UnsubscribeUrl);
