using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Queries;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;

namespace PrintFlow.Mes.Tests;

public sealed class QueuePagingTests(QueuePagingTests.SmallPagesHost fixture) : IClassFixture<QueuePagingTests.SmallPagesHost>
{
    public sealed class SmallPagesHost : HostFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mes:PageSize"] = "5" };
    }

    private Task<QueuePage> PageAsync(QueueFilter filter) =>
        fixture.Host.InScopeAsync(sp => sp.GetRequiredService<QueueQuery>().PageAsync(filter, CancellationToken.None));

    [Fact]
    public async Task Queue_WhenPagedWithTheCursor_ShowsEveryJobOnceInQueueOrder()
    {
        var now = DateTimeOffset.UtcNow;
        var requests = new List<ManufacturingRequested>();
        for (var i = 0; i < 13; i++)
        {
            // Several jobs share a priority and due date, so the later keys (age, id) have to break ties.
            var request = Jobs.Request(
                leadTime: i % 3 == 0 ? LeadTime.Express : LeadTime.Standard,
                dueDate: now.AddDays(1 + i % 4),
                customer: $"Pager {i}",
                requestedAt: now);
            requests.Add(request);
            await fixture.Host.DispatchAsync(request);
        }

        // Two in progress: they come after every waiting job.
        var olivia = await fixture.Host.AccountIdAsync(Browserless.Operator);
        var taken = new List<Guid>();
        foreach (var request in requests.Take(2))
        {
            var job = await fixture.Host.JobAsync(request.OrderId);
            var outcome = await fixture.Host.InScopeAsync(sp => sp.GetRequiredService<FloorWork>().TakeAsync(job.JobId, olivia, CancellationToken.None));
            Assert.True(outcome.Succeeded, outcome.Message);
            taken.Add(job.JobId);
        }

        var seen = new List<QueueRow>();
        var filter = QueueFilter.None with { Search = "Pager" };
        var pages = 0;
        while (true)
        {
            var page = await PageAsync(filter);
            pages++;
            Assert.True(page.Rows.Count <= 5);
            seen.AddRange(page.Rows);
            if (page.Next is null)
            {
                break;
            }

            filter = filter with { After = QueueCursor.TryParse(page.Next.ToString()) };
        }

        Assert.Equal(3, pages);
        Assert.Equal(13, seen.Select(r => r.JobId).Distinct().Count());
        var expected = seen
            .OrderBy(r => r.QueueRank).ThenBy(r => r.Priority).ThenBy(r => r.DueBy).ThenBy(r => r.CreatedAt).ThenBy(r => r.Id)
            .Select(r => r.JobId);
        Assert.Equal(expected, seen.Select(r => r.JobId));
        Assert.Equal(11, seen.TakeWhile(r => r.AssignedToId is null).Count());
        Assert.Equal(taken.Order(), seen.Skip(11).Select(r => r.JobId).Order());
        Assert.All(seen.Take(11), r => Assert.Equal(OrderStatus.ManufacturingApproved, r.Stage));
    }

    [Fact]
    public async Task Queue_WhenFilteredByStageMaterialAndChannel_ShowsOnlyMatches()
    {
        var resin = Jobs.Request(material: "Resin", channel: SalesChannel.Partner, customer: "Stage Filter A");
        var pla = Jobs.Request(material: "PLA", channel: SalesChannel.Shop, customer: "Stage Filter B");
        await fixture.Host.DispatchAsync(resin);
        await fixture.Host.DispatchAsync(pla);
        await fixture.Host.DispatchAsync(new ManufacturingCancelled(pla.OrderId, "Changed their mind.", DateTimeOffset.UtcNow));

        var byMaterial = await PageAsync(QueueFilter.Parse(null, "Resin", "Partner", null, "Stage Filter", null));
        var cancelled = await PageAsync(QueueFilter.Parse("Cancelled", null, null, null, "Stage Filter", null));
        var waiting = await PageAsync(QueueFilter.Parse(null, null, null, null, "Stage Filter", null));

        Assert.Equal([OrderNumber.From(resin.OrderId)], byMaterial.Rows.Select(r => r.OrderNumber));
        Assert.Equal([OrderNumber.From(pla.OrderId)], cancelled.Rows.Select(r => r.OrderNumber));
        Assert.Equal([OrderNumber.From(resin.OrderId)], waiting.Rows.Select(r => r.OrderNumber));
        Assert.True(waiting.Counts[OrderStatus.Cancelled] >= 1);
    }

    [Fact]
    public async Task Search_WhenAWholeOrderNumberOfADeliveredJob_FindsItOutsideTheActiveQueue()
    {
        var request = Jobs.Request(customer: "Delivered Search");
        await fixture.Host.DispatchAsync(request);
        var job = await fixture.Host.JobAsync(request.OrderId);
        var sam = await fixture.Host.AccountIdAsync(Browserless.Supervisor);
        await fixture.Host.TakeAndStepAsync(job.JobId, sam,
            JobAction.StartPrinting, JobAction.ToPostProcessing, JobAction.ToQualityCheck, JobAction.PassQualityCheck, JobAction.Ship, JobAction.Deliver);

        var byNumber = await PageAsync(QueueFilter.Parse(null, null, null, null, job.OrderNumber.ToLowerInvariant(), null));
        var byName = await PageAsync(QueueFilter.Parse(null, null, null, null, "Delivered Search", null));

        Assert.Equal([OrderStatus.Delivered], byNumber.Rows.Select(r => r.Stage));
        Assert.Empty(byName.Rows);
        Assert.Null(QueueFilter.AsOrderNumber("PF-12345"));
        Assert.Null(QueueFilter.AsOrderNumber("PF-12345678GZ"));
    }
}
