using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrintFlow.Contracts;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Crm.Tests;

/// <summary>
/// CRM on PostgreSQL, as deployed, where a customer's totals are written as what each transaction added: a partner's
/// orders all belong to one customer, and batches of them arrive on several workers at once.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class CustomerTotalsPostgresTests
{
    [Fact]
    public async Task ConcurrentBatches_AboutOneCustomersOrders_CountEveryOrderWithoutAConflict()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("crm_totals");
        var log = new LogRecorder();
        using var crm = new PrintFlowHost(PrintFlowHost.OnPostgres(("crm", database.ConnectionString)));
        using var host = crm.WithWebHostBuilder(b => b.ConfigureLogging(l => l
            .AddProvider(log)
            .AddFilter<LogRecorder>("Microsoft.EntityFrameworkCore.Update", LogLevel.Debug)));
        var story = OrderStory.NewCustomer(SalesChannel.Partner);
        var firstOrderAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        await host.Services.DispatchAsync("crm", story.Submitted(Guid.CreateVersion7(), firstOrderAt));
        var lastOrderAt = DateTimeOffset.UtcNow.AddHours(1);
        var batches = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 4).Select(_ => Guid.CreateVersion7()).ToArray()).ToArray();

        // Six workers at once, each with four new orders of the customer, then with their confirmations (10 EUR each).
        await Task.WhenAll(batches.Select((orders, i) => Task.Run(async () =>
        {
            var submittedAt = i == 0 ? lastOrderAt : DateTimeOffset.UtcNow;
            Assert.All(await host.Services.DispatchBatchAsync("crm", [.. orders.Select(o => story.Submitted(o, submittedAt))]), Assert.Null);
            Assert.All(await host.Services.DispatchBatchAsync("crm",
                [.. orders.Select(o => story.Status(o, OrderStatus.Confirmed, 4, 10m, OrderStatus.Quoted))]), Assert.Null);
        })));

        var customer = await host.Services.CustomerAsync(story.Customer);
        Assert.Equal((25, 240m, "EUR"), (customer!.OrderCount, customer.Revenue, customer.Currency));
        Assert.Equal(firstOrderAt, customer.FirstOrderAt);
        Assert.Equal(lastOrderAt.UtcTicks / 10, customer.LastOrderAt!.Value.UtcTicks / 10); // PostgreSQL keeps microseconds
        // EF logs each optimistic-concurrency failure (a save refused on a concurrency token) at Debug.
        Assert.DoesNotContain(log.Entries, e => e.EventId.Id == CoreEventId.OptimisticConcurrencyException.Id);
    }
}
