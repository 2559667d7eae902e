using Microsoft.Extensions.Localization;

namespace PrintFlow.Shop.Pages;

/// <summary>The notes an order keeps (written in English when they happened), in the reader's language.</summary>
public static class ShopOrderText
{
    public static string? Message(IStringLocalizer<ShopStrings> l, string? message) => message switch
    {
        Domain.ShopOrder.ConfirmationSentMessage => l["Order.Message.Confirmed"],
        Domain.ShopOrder.CancellationSentMessage => l["Order.Message.CancelRequested"],
        _ => message, // a rejection's reason, as Pricing or the factory wrote it
    };
}
