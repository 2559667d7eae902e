using PrintFlow.Contracts;

namespace PrintFlow.ServiceDefaults.Localization;

/// <summary>
/// The one place that turns an order status into words: a sentence a customer understands ("Calculating your price")
/// for the Shop, and the floor's short wording for MES, CRM and ops; internal names never reach a page.
/// </summary>
public static class OrderStatusWords
{
    public static string ForCustomer(OrderStatus status) => Texts.Get<SharedStrings>($"Customer.{status}");

    public static string ForOperator(OrderStatus status) => Texts.Get<SharedStrings>($"Operator.{status}");

    public static string LeadTime(LeadTime leadTime) => Texts.Get<SharedStrings>($"LeadTime.{leadTime}");

    public static string Channel(SalesChannel channel) => Texts.Get<SharedStrings>($"Channel.{channel}");
}
