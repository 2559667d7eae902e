using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Crm.Tests;

/// <summary>Orders ids here are unknown to Ordering, so only the events the tests dispatch move them.</summary>
public sealed class CustomerLedgerTests(PrintFlowHostFixture fixture) : IClassFixture<PrintFlowHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task OrderEvents_ForOneCustomer_CountOrdersAndConfirmedRevenue()
    {
        var story = OrderStory.NewCustomer();
        var confirmed = Guid.CreateVersion7();
        var cancelled = Guid.CreateVersion7();
        var rejected = Guid.CreateVersion7();

        foreach (var order in new[] { confirmed, cancelled, rejected })
        {
            await Host.DispatchAsync("crm", story.Submitted(order));
            await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Submitted, 1));
            await Host.DispatchAsync("crm", story.Status(order, OrderStatus.PriceCalculating, 2));
        }

        await Host.DispatchAsync("crm", story.Status(confirmed, OrderStatus.Quoted, 3, 120.25m));
        await Host.DispatchAsync("crm", story.Status(confirmed, OrderStatus.Confirmed, 4, 120.25m, OrderStatus.Quoted));
        await Host.DispatchAsync("crm", story.Status(confirmed, OrderStatus.ManufacturingApproved, 5, 120.25m, OrderStatus.Confirmed));
        await Host.DispatchAsync("crm", story.Status(cancelled, OrderStatus.Quoted, 3, 80m));
        await Host.DispatchAsync("crm", story.Status(cancelled, OrderStatus.Cancelled, 4, 80m, OrderStatus.Quoted));
        await Host.DispatchAsync("crm", story.Status(rejected, OrderStatus.Rejected, 3, null, OrderStatus.PriceCalculating));

        var customer = await Host.CustomerAsync(story.Customer);
        Assert.NotNull(customer);
        Assert.Equal((3, 120.25m, "EUR"), (customer.OrderCount, customer.Revenue, customer.Currency));
        Assert.Equal(story.Customer.Name, customer.Name);
        Assert.Equal(OrderStatus.ManufacturingApproved, (await Host.OrderAsync(confirmed))!.Status);
        Assert.Equal(OrderStatus.Cancelled, (await Host.OrderAsync(cancelled))!.Status);
    }

    [Fact]
    public async Task OrderEvents_DuplicatedAndOutOfOrder_CountOnce()
    {
        var story = OrderStory.NewCustomer(SalesChannel.Partner, "partner-" + Guid.NewGuid().ToString("N"));
        var order = Guid.CreateVersion7();
        var submittedAt = DateTimeOffset.UtcNow.AddMinutes(-30);

        await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Delivered, 11, 55.5m, OrderStatus.Shipped));
        await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Confirmed, 4, 55.5m, OrderStatus.Quoted));
        await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Confirmed, 4, 55.5m, OrderStatus.Quoted));
        await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Quoted, 3, 55.5m));
        await Host.DispatchAsync("crm", story.Submitted(order, submittedAt));
        await Host.DispatchAsync("crm", story.Submitted(order, submittedAt));

        var customer = await Host.CustomerAsync(story.Customer);
        Assert.Equal((1, 55.5m), (customer!.OrderCount, customer.Revenue));
        Assert.Equal(submittedAt, customer.FirstOrderAt);
        var stored = await Host.OrderAsync(order);
        Assert.Equal((OrderStatus.Delivered, 11, 55.5m), (stored!.Status, stored.Version, stored.Amount));
        Assert.Equal(submittedAt, stored.SubmittedAt);
    }

    [Fact]
    public async Task StatusOfAnOlderOrder_AfterANewerSubmission_KeepsTheNewerContactDetails()
    {
        var before = OrderStory.NewCustomer();
        var renamed = new OrderStory(before.Customer with { Name = "Renamed " + before.Customer.Name, Email = "new-" + before.Customer.Email });
        var older = Guid.CreateVersion7();
        var newer = Guid.CreateVersion7();

        await Host.DispatchAsync("crm", before.Submitted(older));
        await Host.DispatchAsync("crm", renamed.Submitted(newer));
        await Host.DispatchAsync("crm", before.Status(older, OrderStatus.PriceCalculating, 2));
        await Host.DispatchAsync("crm", before.Status(older, OrderStatus.Confirmed, 4, 30m, OrderStatus.Quoted));

        var customer = await Host.CustomerAsync(before.Customer);
        Assert.Equal((renamed.Customer.Name, renamed.Customer.Email), (customer!.Name, customer.Email));
        Assert.Equal((2, 30m), (customer.OrderCount, customer.Revenue));
    }

    [Fact]
    public async Task Submissions_AppliedAsABatch_ReadTheirOrdersInOneQueryAndCountEachOnce()
    {
        var story = OrderStory.NewCustomer();
        var seenFirst = Guid.CreateVersion7();
        await Host.DispatchAsync("crm", story.Status(seenFirst, OrderStatus.Submitted, 1)); // its status event came first
        Guid[] orders = [Guid.CreateVersion7(), Guid.CreateVersion7(), seenFirst];
        using var reads = new QueryCounter("orders", orders);

        var failures = await Host.DispatchBatchAsync("crm", [.. orders.Select(order => story.Submitted(order))]);
        var readsOfTheBatch = reads.Count;

        Assert.All(failures, Assert.Null);
        Assert.Equal(1, readsOfTheBatch);
        Assert.Equal(3, (await Host.CustomerAsync(story.Customer))!.OrderCount);
        foreach (var order in orders)
        {
            Assert.True((await Host.OrderAsync(order))!.SubmissionSeen);
        }
    }

    [Fact]
    public async Task SameCustomerId_InTwoChannels_AreTwoCustomers()
    {
        var id = Guid.NewGuid().ToString();
        var shop = OrderStory.NewCustomer(SalesChannel.Shop, id);
        var partner = OrderStory.NewCustomer(SalesChannel.Partner, id);

        await Host.DispatchAsync("crm", shop.Submitted(Guid.CreateVersion7()));
        await Host.DispatchAsync("crm", partner.Submitted(Guid.CreateVersion7()));
        await Host.DispatchAsync("crm", partner.Submitted(Guid.CreateVersion7()));

        Assert.Equal(1, (await Host.CustomerAsync(shop.Customer))!.OrderCount);
        Assert.Equal(2, (await Host.CustomerAsync(partner.Customer))!.OrderCount);
    }

    [Fact]
    public async Task ConcurrentOrders_OfOneCustomer_AreAllCounted()
    {
        var story = OrderStory.NewCustomer();
        await Host.DispatchAsync("crm", story.Submitted(Guid.CreateVersion7()));
        var orders = Enumerable.Range(0, 8).Select(_ => Guid.CreateVersion7()).ToArray();

        await Task.WhenAll(orders.Select(async order =>
        {
            await Host.DispatchAsync("crm", story.Submitted(order));
            await Host.DispatchAsync("crm", story.Status(order, OrderStatus.Confirmed, 4, 10m, OrderStatus.Quoted));
        }));

        var customer = await Host.CustomerAsync(story.Customer);
        Assert.Equal((9, 80m), (customer!.OrderCount, customer.Revenue));
    }
}
