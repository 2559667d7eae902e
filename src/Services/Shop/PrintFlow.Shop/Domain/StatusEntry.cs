using PrintFlow.Contracts;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Shop.Domain;

/// <summary>One step of an order's history as the customer sees it. Version 0 is the shop's own submission.</summary>
/// <param name="ReasonParts">A rejection's reason refusal by refusal, so the page words it in the reader's language.</param>
public sealed record StatusEntry(int Version, OrderStatus Status, DateTimeOffset At, string? Reason, IReadOnlyList<RejectionPart>? ReasonParts = null)
{
    /// <summary>The reason in the reader's language where Pricing's refusal can be worded again, else as recorded.</summary>
    public string? ReasonText() => RejectionText.Of(Reason, ReasonParts);
}
