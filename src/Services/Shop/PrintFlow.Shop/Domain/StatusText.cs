using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Shop.Domain;

/// <summary>Statuses and money as a customer reads them, in their language.</summary>
public static class StatusText
{
    public static string Of(OrderStatus status) => OrderStatusWords.ForCustomer(status);

    public static string Money(decimal amount, string currency) => Formats.Money(amount, currency);
}
