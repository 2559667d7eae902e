using PrintFlow.Contracts;

namespace PrintFlow.Shop.Domain;

/// <summary>One step of an order's history as the customer sees it. Version 0 is the shop's own submission.</summary>
public sealed record StatusEntry(int Version, OrderStatus Status, DateTimeOffset At, string? Reason);
