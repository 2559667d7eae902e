using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Crm.Data;
using PrintFlow.Crm.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

/// <summary>Events as the channels and Ordering publish them, for a customer of the test's own.</summary>
internal sealed class OrderStory(CustomerRef customer)
{
    public static OrderStory NewCustomer(SalesChannel channel = SalesChannel.Shop, string? id = null)
    {
        var customerId = id ?? Guid.NewGuid().ToString();
        return new OrderStory(new CustomerRef(customerId, $"Customer {customerId[..8]}", $"{customerId[..8]}@example.test", channel));
    }

    public CustomerRef Customer { get; } = customer;

    public static readonly IReadOnlyList<OrderItem> Items = [new(Guid.NewGuid(), new string('b', 64), "gear.stl", 1000, "PLA", 1)];

    public OrderSubmitted Submitted(Guid orderId, DateTimeOffset? at = null) =>
        new(orderId, Customer, Items, LeadTime.Standard, null, null, at ?? DateTimeOffset.UtcNow);

    public OrderStatusChanged Status(Guid orderId, OrderStatus status, int version, decimal? amount = null, OrderStatus? previous = null) =>
        new(orderId, Customer, status, previous, version, DateTimeOffset.UtcNow, null,
            amount is { } value ? new QuoteSummary(QuoteIdOf(orderId), value, "EUR", "instant", DateTimeOffset.UtcNow.AddDays(7), [new QuoteLine("Print", value)], []) : null,
            Items);

    private static Guid QuoteIdOf(Guid orderId) => new(orderId.ToByteArray().Reverse().ToArray());
}

internal static class CrmData
{
    public static Task<CrmCustomer?> CustomerAsync(this PrintFlowHost host, CustomerRef customer) => host.Services.CustomerAsync(customer);

    public static async Task<CrmCustomer?> CustomerAsync(this IServiceProvider services, CustomerRef customer)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        return await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Channel == customer.Channel && c.CustomerId == customer.CustomerId);
    }

    public static async Task<CrmOrder?> OrderAsync(this PrintFlowHost host, Guid orderId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        return await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == orderId);
    }
}
