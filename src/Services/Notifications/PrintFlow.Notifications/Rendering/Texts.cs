using PrintFlow.Contracts;
using PrintFlow.Notifications.Domain;

namespace PrintFlow.Notifications.Rendering;

/// <summary>The sentences of every email in Russian and English; status names in the words a customer uses.</summary>
internal sealed record Texts(
    string Greeting,
    string OrderPageLink,
    string ConfirmLink,
    string Footer,
    string UnsubscribeLink,
    string QuoteTotal,
    string QuoteValidUntil,
    string QuoteIncludes,
    string Carrier,
    string TrackingNumber,
    string TrackingLink,
    string ReasonLabel,
    string NoReason)
{
    public static readonly Texts Russian = new(
        Greeting: "Здравствуйте, {0}!",
        OrderPageLink: "Открыть заказ",
        ConfirmLink: "Посмотреть и подтвердить цену",
        Footer: "Это письмо отправлено автоматически, отвечать на него не нужно.",
        UnsubscribeLink: "Не присылать необязательные письма (о начале производства и доставке)",
        QuoteTotal: "Стоимость",
        QuoteValidUntil: "Цена действует до",
        QuoteIncludes: "В стоимость входит",
        Carrier: "Служба доставки",
        TrackingNumber: "Трек-номер",
        TrackingLink: "Отследить посылку",
        ReasonLabel: "Причина",
        NoReason: "причина не указана");

    public static readonly Texts English = new(
        Greeting: "Hello {0},",
        OrderPageLink: "Open your order",
        ConfirmLink: "Review and confirm the price",
        Footer: "This email was sent automatically; there is no need to reply.",
        UnsubscribeLink: "Stop optional emails (production started, delivered)",
        QuoteTotal: "Price",
        QuoteValidUntil: "Price valid until",
        QuoteIncludes: "The price includes",
        Carrier: "Carrier",
        TrackingNumber: "Tracking number",
        TrackingLink: "Track the parcel",
        ReasonLabel: "Reason",
        NoReason: "no reason given");

    public static Texts For(string language) => language == Languages.English ? English : Russian;

    /// <summary>The subject (with {0} for the order number) and the opening sentence of each kind.</summary>
    public static (string Subject, string Lead) Of(MessageKind kind, string language, OrderStatus status) => (language == Languages.English) switch
    {
        true => kind switch
        {
            MessageKind.OrderReceived => ("Order {0} received", "We have received your order and are calculating its price."),
            MessageKind.QuoteReady => ("Order {0}: your quote is ready", "The price of your order is ready. Please confirm it so that we can start printing."),
            MessageKind.QuoteUpdated => ("Order {0}: the quote was updated", "We priced your models exactly with the slicer and the quote changed. Please review the new price and confirm it."),
            MessageKind.InProduction => ("Order {0} is in production", "Your order is being printed."),
            MessageKind.Shipped => ("Order {0} has been shipped", "Your order is on its way."),
            MessageKind.Delivered => ("Order {0} has been delivered", "Your order has been delivered. Thank you for ordering from us!"),
            MessageKind.Rejected => ("Order {0} cannot be made", "Unfortunately we cannot make your order."),
            MessageKind.Cancelled => ("Order {0} has been cancelled", "Your order has been cancelled."),
            MessageKind.Delayed => ("Order {0} is delayed", $"Your order is taking longer than usual: it is still {StatusEnglish(status)}. We are on it and will write again as soon as it moves on."),
            _ => ("Order {0}", ""),
        },
        false => kind switch
        {
            MessageKind.OrderReceived => ("Заказ {0} принят", "Мы получили ваш заказ и рассчитываем его стоимость."),
            MessageKind.QuoteReady => ("Заказ {0}: цена рассчитана", "Стоимость вашего заказа готова. Подтвердите её, и мы начнём печать."),
            MessageKind.QuoteUpdated => ("Заказ {0}: цена уточнена", "Мы точно рассчитали ваши модели в слайсере, и цена изменилась. Проверьте новую цену и подтвердите её."),
            MessageKind.InProduction => ("Заказ {0} в производстве", "Ваш заказ печатается."),
            MessageKind.Shipped => ("Заказ {0} отправлен", "Ваш заказ в пути."),
            MessageKind.Delivered => ("Заказ {0} доставлен", "Ваш заказ доставлен. Спасибо, что выбрали нас!"),
            MessageKind.Rejected => ("Заказ {0} не может быть выполнен", "К сожалению, мы не можем выполнить ваш заказ."),
            MessageKind.Cancelled => ("Заказ {0} отменён", "Ваш заказ отменён."),
            MessageKind.Delayed => ("Заказ {0} задерживается", $"Ваш заказ выполняется дольше обычного: он всё ещё {StatusRussian(status)}. Мы уже разбираемся и напишем, как только он сдвинется с места."),
            _ => ("Заказ {0}", ""),
        },
    };

    private static string StatusEnglish(OrderStatus status) => status switch
    {
        OrderStatus.Submitted => "being received",
        OrderStatus.PriceCalculating => "being priced",
        OrderStatus.Quoted => "waiting for your confirmation",
        OrderStatus.Confirmed => "being passed to the factory",
        OrderStatus.ManufacturingApproved => "waiting for a printer",
        OrderStatus.Printing => "being printed",
        OrderStatus.PostProcessing => "in post-processing",
        OrderStatus.QualityCheck => "in quality check",
        OrderStatus.Packed => "packed, waiting for the carrier",
        OrderStatus.Shipped => "on its way",
        _ => "in progress",
    };

    private static string StatusRussian(OrderStatus status) => status switch
    {
        OrderStatus.Submitted => "принимается",
        OrderStatus.PriceCalculating => "ждёт расчёта цены",
        OrderStatus.Quoted => "ждёт вашего подтверждения",
        OrderStatus.Confirmed => "передаётся на производство",
        OrderStatus.ManufacturingApproved => "ждёт свободного принтера",
        OrderStatus.Printing => "печатается",
        OrderStatus.PostProcessing => "на постобработке",
        OrderStatus.QualityCheck => "на проверке качества",
        OrderStatus.Packed => "упакован и ждёт службу доставки",
        OrderStatus.Shipped => "в пути",
        _ => "в работе",
    };
}
