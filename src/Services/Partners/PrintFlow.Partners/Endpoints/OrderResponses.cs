using PrintFlow.Contracts;
using PrintFlow.Partners.Domain;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Partners.Endpoints;

public sealed record OrderLinks(string Self, string Confirm, string Cancel)
{
    public static OrderLinks For(Guid id)
    {
        var self = OrderEndpoints.LocationOf(id);
        return new OrderLinks(self, $"{self}/confirm", $"{self}/cancel");
    }
}

/// <summary>The answer to a new order (and, unchanged, to every retry with the same Idempotency-Key).</summary>
public sealed record OrderCreated(Guid Id, string OrderNumber, string Status, string? Reference, DateTimeOffset CreatedAt, OrderLinks Links);

public sealed record OrderDetails(
    Guid Id,
    string OrderNumber,
    string Status,
    string? Reference,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string LeadTime,
    DateTimeOffset? DueDate,
    IReadOnlyList<OrderItemDetails> Items,
    QuoteDetails? Quote,
    IReadOnlyList<StatusEntryDetails> History,
    OrderMessageDetails? Message,
    OrderLinks Links,
    ShippingAddress? ShippingAddress,
    ShipmentDetails? Shipment)
{
    public static OrderDetails From(PartnerOrder order, DateTimeOffset now) => new(
        order.Id,
        order.OrderNumber,
        order.Status.ToString(),
        order.Reference,
        order.CreatedAt,
        order.UpdatedAt,
        order.LeadTime.ToString(),
        order.DueDate,
        [.. order.Items.Select(i => new OrderItemDetails(i.ItemId, i.FileName, i.ModelSha256, i.SizeBytes, i.Material, i.Quantity))],
        order.Quote is { } quote
            ? new QuoteDetails(quote.QuoteId, quote.Amount, quote.Currency, quote.Mode, quote.ValidUntil,
                [.. quote.Lines.Select(l => new QuoteLineDetails(l.Description, l.Amount))],
                order.Status == OrderStatus.Quoted && quote.RefiningUntil > now,
                order.Status == OrderStatus.Quoted && quote.RefiningUntil > now ? quote.RefiningUntil : null)
            : null,
        [.. order.History.OrderBy(h => h.Version).Select(h => new StatusEntryDetails(h.Status.ToString(), h.At, RejectionText.Of(h.Reason, h.ReasonParts),
            h.ReasonParts is { Count: > 0 } parts ? [.. parts.Select(p => p.Code)] : null))],
        order.Message is { } message ? new OrderMessageDetails(message.Command, message.Code, message.Reason, message.At) : null,
        OrderLinks.For(order.Id),
        order.ShipTo,
        order.Shipment is { } shipment ? new ShipmentDetails(shipment.Carrier, shipment.TrackingNumber, shipment.TrackingUrl, shipment.ShippedAt) : null);
}

/// <summary>The parcel: the carrier's code, its tracking number and public tracking page.</summary>
public sealed record ShipmentDetails(string Carrier, string TrackingNumber, string? TrackingUrl, DateTimeOffset ShippedAt);

public sealed record OrderItemDetails(Guid Id, string FileName, string Sha256, long SizeBytes, string Material, int Quantity);

/// <param name="PriceRefining">
/// True while the slicer is working out the exact price of this estimate: poll again (or wait for the webhook) before
/// confirming; the exact quote replaces this one by <paramref name="RefiningUntil"/>, or this estimate stands.
/// Confirming now is allowed and confirms this estimate.
/// </param>
public sealed record QuoteDetails(
    Guid Id, decimal Amount, string Currency, string Mode, DateTimeOffset ValidUntil, IReadOnlyList<QuoteLineDetails> Lines,
    bool PriceRefining, DateTimeOffset? RefiningUntil);

public sealed record QuoteLineDetails(string Description, decimal Amount);

/// <param name="Reason">Why, in the language the request asked for (Accept-Language) where it can be worded again.</param>
/// <param name="ReasonCodes">A rejection's machine-readable codes (<c>colour.unknown</c>, …), one per refusal; null otherwise.</param>
public sealed record StatusEntryDetails(string Status, DateTimeOffset At, string? Reason, IReadOnlyList<string>? ReasonCodes = null);

/// <summary>The last request PrintFlow refused for this order, with the reason for a person.</summary>
public sealed record OrderMessageDetails(string Command, string Code, string Reason, DateTimeOffset At);

public sealed record OrderSummary(Guid Id, string OrderNumber, string Status, string? Reference, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, OrderLinks Links)
{
    public static OrderSummary From(PartnerOrder order) =>
        new(order.Id, order.OrderNumber, order.Status.ToString(), order.Reference, order.CreatedAt, order.UpdatedAt, OrderLinks.For(order.Id));
}

/// <summary>A page of orders, newest first; <see cref="Next"/> is the link to the following page, if any.</summary>
public sealed record OrderPage(IReadOnlyList<OrderSummary> Items, string? Next);

/// <summary>A confirm or cancel was passed on to PrintFlow; the order's status shows the outcome.</summary>
public sealed record CommandAccepted(Guid Id, string Command, string Status, OrderLinks Links);

public sealed record CancelOrderRequest(string? Reason);
