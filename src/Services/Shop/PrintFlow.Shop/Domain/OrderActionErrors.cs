using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Shop.Domain;

/// <summary>Why a confirmation or cancellation is refused: the code travels back to the order page, which shows the sentence.</summary>
public static class OrderActionErrors
{
    public const string NotQuoted = "order.not-quoted";
    public const string QuoteChanged = "order.quote-changed";
    public const string ConfirmationPending = "order.confirmation-pending";
    public const string NotCancellable = "order.not-cancellable";
    public const string CancellationPending = "order.cancellation-pending";
    public const string ChangedMeanwhile = "order.changed";

    public static string? SentenceFor(string? code, OrderStatus status) => code switch
    {
        null or "" => null,
        NotQuoted or QuoteChanged or ConfirmationPending or NotCancellable or CancellationPending or ChangedMeanwhile =>
            Texts.Get<ShopStrings>($"Order.Error.{code}", StatusText.Of(status)),
        _ => null,
    };

    public static OrderActionNotAllowedException Exception(string code, OrderStatus status) =>
        new(code, SentenceFor(code, status)!);
}
