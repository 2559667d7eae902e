using PrintFlow.Contracts;

namespace PrintFlow.Shop.Domain;

/// <summary>Why a confirmation or cancellation is refused: the code travels back to the order page, which shows the sentence.</summary>
public static class OrderActionErrors
{
    public const string NotQuoted = "order.not-quoted";
    public const string QuoteChanged = "order.quote-changed";
    public const string ConfirmationPending = "order.confirmation-pending";
    public const string NotCancellable = "order.not-cancellable";
    public const string CancellationPending = "order.cancellation-pending";

    public static string? SentenceFor(string? code, OrderStatus status) => code switch
    {
        null or "" => null,
        NotQuoted => $"This order cannot be confirmed now: it is {StatusText.Of(status)}, not waiting for your confirmation.",
        QuoteChanged => "The price changed while you were looking at it. Check the new quote and confirm again.",
        ConfirmationPending => "You already confirmed this quote; we are processing it.",
        NotCancellable => $"This order can no longer be cancelled: it is {StatusText.Of(status)}. Orders can be cancelled until printing starts.",
        CancellationPending => "You already asked to cancel this order; we are processing it.",
        _ => null,
    };

    public static OrderActionNotAllowedException Exception(string code, OrderStatus status) =>
        new(code, SentenceFor(code, status)!);
}
