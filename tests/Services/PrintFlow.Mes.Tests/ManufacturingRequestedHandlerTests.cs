using Microsoft.EntityFrameworkCore;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests;

public sealed class ManufacturingRequestedHandlerTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task ManufacturingRequested_WhenNew_CreatesOneJobAndPublishesApprovedWithSequenceOne()
    {
        var request = Jobs.Request(leadTime: LeadTime.Express, customer: "Linus Example");
        await fixture.Host.DispatchAsync(request);

        var job = Assert.Single(await fixture.Host.JobsOfOrderAsync(request.OrderId));
        Assert.Equal((OrderStatus.ManufacturingApproved, 1, "Linus Example"), (job.Stage, job.Sequence, job.CustomerName));
        var published = Assert.Single(await fixture.Host.PublishedAsync(request.OrderId));
        Assert.Equal((request.OrderId, job.JobId, 1, OrderStatus.ManufacturingApproved), (published.OrderId, published.JobId, published.Sequence, published.Stage));
    }

    [Fact]
    public async Task ManufacturingRequested_WhenRedelivered_CreatesNothingNew()
    {
        var request = Jobs.Request();
        var messageId = await fixture.Host.DispatchAsync(request);
        await fixture.Host.DispatchAsync(request, messageId);

        Assert.Single(await fixture.Host.JobsOfOrderAsync(request.OrderId));
        Assert.Single(await fixture.Host.PublishedAsync(request.OrderId));
    }

    [Fact]
    public async Task ManufacturingRequested_WhenResentWithNewMessageId_CreatesNothingNew()
    {
        var request = Jobs.Request();
        await fixture.Host.DispatchAsync(request);
        var job = Assert.Single(await fixture.Host.JobsOfOrderAsync(request.OrderId));

        await fixture.Host.DispatchAsync(request with { RequestedAt = request.RequestedAt.AddMinutes(5) });

        var again = Assert.Single(await fixture.Host.JobsOfOrderAsync(request.OrderId));
        Assert.Equal((job.JobId, job.Version, 1), (again.JobId, again.Version, again.History.Count));
        Assert.Single(await fixture.Host.PublishedAsync(request.OrderId));
    }

    [Fact]
    public async Task ManufacturingRequested_WhenApplied_KeepsTheStageCountInStep()
    {
        var before = await fixture.Host.WithDbAsync(db => db.StageCounts.SingleAsync(c => c.Stage == OrderStatus.ManufacturingApproved));
        await fixture.Host.DispatchAsync(Jobs.Request());
        await fixture.Host.DispatchAsync(Jobs.Request());

        var after = await fixture.Host.WithDbAsync(db => db.StageCounts.SingleAsync(c => c.Stage == OrderStatus.ManufacturingApproved));
        var actual = await fixture.Host.WithDbAsync(db => db.Jobs.LongCountAsync(j => j.Stage == OrderStatus.ManufacturingApproved));
        Assert.Equal(before.Count + 2, after.Count);
        Assert.Equal(actual, after.Count);
    }

    [Fact]
    public async Task ManufacturingRequested_AppliedAsABatch_CountsEveryJobOnceAtTheCommit()
    {
        var before = await fixture.Host.WithDbAsync(db => db.StageCounts.SingleAsync(c => c.Stage == OrderStatus.ManufacturingApproved));
        var requests = new[] { Jobs.Request(), Jobs.Request(), Jobs.Request() };

        var failures = await fixture.Host.DispatchBatchAsync("mes", requests);

        Assert.All(failures, Assert.Null);
        foreach (var request in requests)
        {
            Assert.Single(await fixture.Host.JobsOfOrderAsync(request.OrderId));
        }

        var after = await fixture.Host.WithDbAsync(db => db.StageCounts.SingleAsync(c => c.Stage == OrderStatus.ManufacturingApproved));
        var actual = await fixture.Host.WithDbAsync(db => db.Jobs.LongCountAsync(j => j.Stage == OrderStatus.ManufacturingApproved));
        Assert.Equal(before.Count + 3, after.Count);
        Assert.Equal(actual, after.Count);
    }

    [Fact]
    public async Task ManufacturingRequested_AppliedAsABatch_LooksForItsOrdersJobsInOneQuery()
    {
        var earlier = Jobs.Request();
        await fixture.Host.DispatchAsync(earlier);
        // Two new orders, and one request re-sent for an order that has its job (a new message id: the inbox does not catch it).
        ManufacturingRequested[] requests = [Jobs.Request(), Jobs.Request(), earlier with { RequestedAt = earlier.RequestedAt.AddMinutes(5) }];
        using var reads = new QueryCounter("mes_jobs", requests.Select(r => r.OrderId));

        var failures = await fixture.Host.DispatchBatchAsync("mes", requests);
        var readsOfTheBatch = reads.Count;

        Assert.All(failures, Assert.Null);
        Assert.Equal(1, readsOfTheBatch);
        foreach (var request in requests)
        {
            Assert.Single(await fixture.Host.JobsOfOrderAsync(request.OrderId));
            Assert.Single(await fixture.Host.PublishedAsync(request.OrderId));
        }
    }
}
