using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Queries;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;

namespace PrintFlow.Mes.Tests;

public sealed class CancellationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private Task<QueuePage> SearchQueueAsync(string orderNumber) => fixture.Host.InScopeAsync(sp =>
        sp.GetRequiredService<QueueQuery>().PageAsync(QueueFilter.None with { Search = orderNumber }, CancellationToken.None));

    [Fact]
    public async Task ManufacturingCancelled_BeforePrinting_RemovesTheJobFromTheQueue()
    {
        var request = Jobs.Request(customer: "Cancel Early");
        await fixture.Host.DispatchAsync(request);
        var job = await fixture.Host.JobAsync(request.OrderId);
        Assert.Single((await SearchQueueAsync(job.OrderNumber)).Rows);

        await fixture.Host.DispatchAsync(new ManufacturingCancelled(request.OrderId, "The customer cancelled.", DateTimeOffset.UtcNow));

        job = await fixture.Host.JobAsync(request.OrderId);
        Assert.Equal(OrderStatus.Cancelled, job.Stage);
        // Out of the queue (a customer search looks at the queue; a whole order number still finds the job, as Cancelled).
        Assert.Empty((await SearchQueueAsync("Cancel Early")).Rows);
        Assert.Equal([OrderStatus.Cancelled], (await SearchQueueAsync(job.OrderNumber)).Rows.Select(r => r.Stage));
        var operatorId = await fixture.Host.AccountIdAsync(Browserless.Operator);
        var take = await fixture.Host.InScopeAsync(sp => sp.GetRequiredService<FloorWork>().TakeAsync(job.JobId, operatorId, CancellationToken.None));
        Assert.False(take.Succeeded);
        Assert.Single(await fixture.Host.PublishedAsync(request.OrderId)); // only the approval: a cancellation is Ordering's news
    }

    [Fact]
    public async Task ManufacturingCancelled_AfterPrintingStarted_KeepsTheJob()
    {
        var request = Jobs.Request(customer: "Cancel Late");
        await fixture.Host.DispatchAsync(request);
        var job = await fixture.Host.JobAsync(request.OrderId);
        var operatorId = await fixture.Host.AccountIdAsync(Browserless.Operator2);
        await fixture.Host.TakeAndStepAsync(job.JobId, operatorId, JobAction.StartPrinting);

        await fixture.Host.DispatchAsync(new ManufacturingCancelled(request.OrderId, "Too late.", DateTimeOffset.UtcNow));

        job = await fixture.Host.JobAsync(request.OrderId);
        Assert.Equal(OrderStatus.Printing, job.Stage);
        Assert.Single((await SearchQueueAsync(job.OrderNumber)).Rows);
    }
}
