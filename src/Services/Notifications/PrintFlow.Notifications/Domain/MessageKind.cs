using PrintFlow.Contracts;

namespace PrintFlow.Notifications.Domain;

/// <summary>What an email tells the customer; the names are stable (stored, counted in metrics, keyed for deduplication).</summary>
public enum MessageKind
{
    OrderReceived,
    QuoteReady,
    QuoteUpdated,
    InProduction,
    Shipped,
    Delivered,
    Rejected,
    Cancelled,
    Delayed,
    VerifyEmail,
    PasswordReset,
}

public static class MessageKinds
{
    /// <summary>Kinds a customer may turn off with the unsubscribe link; every other kind is needed to act on the order or know its fate.</summary>
    public static bool IsOptional(MessageKind kind) => kind is MessageKind.InProduction or MessageKind.Delivered;

    /// <summary>Stable lower-case names for metric labels and the stored row.</summary>
    public static string Label(MessageKind kind) => kind switch
    {
        MessageKind.OrderReceived => "order-received",
        MessageKind.QuoteReady => "quote-ready",
        MessageKind.QuoteUpdated => "quote-updated",
        MessageKind.InProduction => "in-production",
        MessageKind.Shipped => "shipped",
        MessageKind.Delivered => "delivered",
        MessageKind.Rejected => "rejected",
        MessageKind.Cancelled => "cancelled",
        MessageKind.Delayed => "delayed",
        MessageKind.VerifyEmail => "verify-email",
        MessageKind.PasswordReset => "password-reset",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The email one status step calls for, or none. A refined quote (Quoted again) is an update; a reprint (QualityCheck
    /// back to Printing) is not news to the customer, who was told production started.
    /// </summary>
    public static MessageKind? ForStep(StatusStep step) => step.Status switch
    {
        OrderStatus.Submitted => MessageKind.OrderReceived,
        OrderStatus.Quoted when step.Previous == OrderStatus.Quoted => MessageKind.QuoteUpdated,
        OrderStatus.Quoted => MessageKind.QuoteReady,
        OrderStatus.Printing when step.Previous != OrderStatus.QualityCheck => MessageKind.InProduction,
        OrderStatus.Shipped => MessageKind.Shipped,
        OrderStatus.Delivered => MessageKind.Delivered,
        OrderStatus.Rejected => MessageKind.Rejected,
        OrderStatus.Cancelled => MessageKind.Cancelled,
        _ => null,
    };
}
