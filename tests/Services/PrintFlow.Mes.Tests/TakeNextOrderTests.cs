using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;

namespace PrintFlow.Mes.Tests;

public sealed class TakeNextOrderTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task TakeNext_WhenJobsWait_TakesExpressFirstThenTheEarliestDueThenRefusesPastTheLimitOrWhenEmpty()
    {
        var host = fixture.Host;
        var olivia = await host.AccountIdAsync(Browserless.Operator);
        var now = DateTimeOffset.UtcNow;
        var lateStandard = Jobs.Request(leadTime: LeadTime.Standard, dueDate: now.AddDays(9), requestedAt: now);
        var soonStandard = Jobs.Request(leadTime: LeadTime.Standard, dueDate: now.AddDays(2), requestedAt: now);
        var express = Jobs.Request(leadTime: LeadTime.Express, dueDate: now.AddDays(5), requestedAt: now);
        var extra = Jobs.Request(leadTime: LeadTime.Standard, dueDate: now.AddDays(30), requestedAt: now);
        foreach (var request in new[] { lateStandard, soonStandard, express, extra })
        {
            await host.DispatchAsync(request);
        }

        Task<WorkOutcome> TakeNextAsync(Guid who) =>
            host.InScopeAsync(sp => sp.GetRequiredService<FloorWork>().TakeNextAsync(who, CancellationToken.None));

        var taken = new[] { await TakeNextAsync(olivia), await TakeNextAsync(olivia), await TakeNextAsync(olivia) };
        var fourth = await TakeNextAsync(olivia);

        Assert.Equal(
            [(await host.JobAsync(express.OrderId)).JobId, (await host.JobAsync(soonStandard.OrderId)).JobId, (await host.JobAsync(lateStandard.OrderId)).JobId],
            taken.Select(t => t.JobId!.Value));
        Assert.Equal("job.wip-limit", fourth.Code);
        Assert.Contains("limit is 3", fourth.Message, StringComparison.Ordinal);

        var oscar = await host.AccountIdAsync(Browserless.Operator2);
        Assert.True((await TakeNextAsync(oscar)).Succeeded);
        var empty = await TakeNextAsync(oscar);
        Assert.Equal(("queue.empty", "Nothing is waiting to be printed right now."), (empty.Code, empty.Message));
    }
}
