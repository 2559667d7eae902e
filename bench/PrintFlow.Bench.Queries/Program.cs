using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using PrintFlow.Contracts;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;

BenchmarkSwitcher.FromAssembly(typeof(OrderLookups).Assembly).Run(args);

/// <summary>
/// The look-up Ordering and Partners start nearly every message with (the order the message is about), as the handlers
/// wrote it before (LINQ with the message's id: EF walks and hashes the expression tree to find it in its query cache,
/// on every call) and compiled once (EF.CompileAsyncQuery), each from a pooled DbContext as the services rent them.
/// The database is SQLite in memory, the same for both: the difference is EF's own work per call.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[InProcess] // no generated project to build: the published benchmark runs as it is
[WarmupCount(3)]
[IterationCount(15)]
public class OrderLookups
{
    private SqliteConnection _partnersDatabase = null!;
    private SqliteConnection _orderingDatabase = null!;
    private PooledDbContextFactory<PartnersDbContext> _partners = null!;
    private PooledDbContextFactory<OrderingDbContext> _ordering = null!;
    private OrderStatusChanged _message = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Each service its own database, as deployed.
        _partnersDatabase = new SqliteConnection("Data Source=:memory:");
        _partnersDatabase.Open();
        _orderingDatabase = new SqliteConnection("Data Source=:memory:");
        _orderingDatabase.Open();
        _partners = new(new DbContextOptionsBuilder<PartnersDbContext>().UseSqlite(_partnersDatabase).Options);
        _ordering = new(new DbContextOptionsBuilder<OrderingDbContext>().UseSqlite(_orderingDatabase).Options);

        var now = DateTimeOffset.UtcNow;
        var orderId = Guid.CreateVersion7();
        var customer = new CustomerRef(Guid.NewGuid().ToString(), "Bench Partner", "bench@example.test", SalesChannel.Partner);
        OrderItem[] items = [new(Guid.NewGuid(), new string('a', 64), "part.stl", 1_000, "PLA", 1)];
        var (order, changed) = Order.Submit(new OrderSubmitted(orderId, customer, items, LeadTime.Standard, null, null, now), now);
        _message = changed;

        using (var db = _ordering.CreateDbContext())
        {
            db.Database.EnsureCreated();
            db.Orders.Add(order);
            db.SaveChanges();
        }

        using (var db = _partners.CreateDbContext())
        {
            db.Database.EnsureCreated();
            var view = PartnerOrder.Submit(orderId, Guid.NewGuid(), "bench", items, LeadTime.Standard, null, now);
            view.Apply(changed);
            db.Orders.Add(view);
            db.SaveChanges();
        }

        if (PartnersLinq().Result is null || PartnersCompiled().Result is null || OrderingLinq().Result is null || OrderingCompiled().Result is null)
        {
            throw new InvalidOperationException("The seeded orders were not found.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _partnersDatabase.Dispose();
        _orderingDatabase.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("partners")]
    public async Task<PartnerOrder?> PartnersLinq()
    {
        await using var db = _partners.CreateDbContext();
        return await db.Orders.FirstOrDefaultAsync(o => o.Id == _message.OrderId);
    }

    [Benchmark, BenchmarkCategory("partners")]
    public async Task<PartnerOrder?> PartnersCompiled()
    {
        await using var db = _partners.CreateDbContext();
        return await PartnerQueries.OrderById.For(db)(db, _message.OrderId, CancellationToken.None);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ordering")]
    public async Task<Order?> OrderingLinq()
    {
        await using var db = _ordering.CreateDbContext();
        return await db.Orders.FirstOrDefaultAsync(o => o.Id == _message.OrderId);
    }

    [Benchmark, BenchmarkCategory("ordering")]
    public async Task<Order?> OrderingCompiled()
    {
        await using var db = _ordering.CreateDbContext();
        return await OrderingDbContextExtensions.OrderById.For(db)(db, _message.OrderId, CancellationToken.None);
    }
}
