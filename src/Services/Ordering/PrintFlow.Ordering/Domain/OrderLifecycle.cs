using System.Collections.Frozen;
using PrintFlow.Contracts;

namespace PrintFlow.Ordering.Domain;

/// <summary>The legal moves of the order lifecycle (DESIGN.md). Anything not listed here is an error.</summary>
public static class OrderLifecycle
{
    private static readonly FrozenDictionary<OrderStatus, OrderStatus[]> Next = new Dictionary<OrderStatus, OrderStatus[]>
    {
        [OrderStatus.Submitted] = [OrderStatus.PriceCalculating, OrderStatus.Rejected, OrderStatus.Cancelled],
        [OrderStatus.PriceCalculating] = [OrderStatus.Quoted, OrderStatus.Rejected, OrderStatus.Cancelled],
        [OrderStatus.Quoted] = [OrderStatus.Confirmed, OrderStatus.Cancelled],
        [OrderStatus.Confirmed] = [OrderStatus.ManufacturingApproved, OrderStatus.Cancelled],
        [OrderStatus.ManufacturingApproved] = [OrderStatus.Printing, OrderStatus.Cancelled],
        [OrderStatus.Printing] = [OrderStatus.PostProcessing],
        [OrderStatus.PostProcessing] = [OrderStatus.QualityCheck],
        [OrderStatus.QualityCheck] = [OrderStatus.Packed, OrderStatus.Printing],
        [OrderStatus.Packed] = [OrderStatus.Shipped],
        [OrderStatus.Shipped] = [OrderStatus.Delivered],
        [OrderStatus.Delivered] = [],
        [OrderStatus.Rejected] = [],
        [OrderStatus.Cancelled] = [],
    }.ToFrozenDictionary();

    public static bool CanMove(OrderStatus from, OrderStatus to) => Next[from].Contains(to);

    public static IReadOnlyList<OrderStatus> NextOf(OrderStatus from) => Next[from];

    public static bool IsTerminal(OrderStatus status) => Next[status].Length == 0;

    /// <summary>The factory has the order from ManufacturingApproved on; before Printing it can still be withdrawn.</summary>
    public static bool FactoryHasIt(OrderStatus status) => status is OrderStatus.Confirmed or OrderStatus.ManufacturingApproved;
}

/// <summary>A move the lifecycle does not allow. Always an error: never silently ignored.</summary>
public sealed class IllegalTransitionException(Guid orderId, OrderStatus from, OrderStatus to)
    : InvalidOperationException($"Order {OrderNumber.From(orderId)} cannot go from {from} to {to}.")
{
    public OrderStatus From { get; } = from;
    public OrderStatus To { get; } = to;
}

/// <summary>A request that breaks a business rule (wrong quote, expired quote). The message is for people.</summary>
public sealed class OrderRuleException(string code, string message) : InvalidOperationException(message)
{
    public string Code { get; } = code;
}
