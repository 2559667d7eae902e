using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Queries;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Mes.Tests;

public sealed class TakeNextContentionTests(TakeNextContentionTests.WipTwoHost fixture) : IClassFixture<TakeNextContentionTests.WipTwoHost>
{
    public sealed class WipTwoHost : HostFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mes:WipLimit"] = "2" };
    }

    private Task<WorkOutcome> TakeNextAsync(Guid accountId) => fixture.Host.InScopeAsync(sp =>
        sp.GetRequiredService<FloorWork>().TakeNextAsync(accountId, CancellationToken.None));

    [Fact]
    public async Task TakeNext_WhenManyOperatorsRaceForFewerSlotsThanJobs_TakesEachJobOnceAndRespectsTheWipLimit()
    {
        const int wipLimit = 2, operators = 5, attemptsEach = 6, jobs = 14;
        var accounts = await fixture.Host.WithDbAsync(async db =>
        {
            var created = Enumerable.Range(1, operators)
                .Select(i => new MesAccount(Guid.CreateVersion7(), $"racer{i}@printflow.test", $"Racer {i}", Roles.Operator, ""))
                .ToList();
            db.Accounts.AddRange(created);
            await db.SaveChangesAsync();
            return created.Select(a => a.Id).ToList();
        });
        var orders = new List<Guid>();
        for (var i = 0; i < jobs; i++)
        {
            var request = Jobs.Request(customer: $"Race customer {i}", material: "PETG");
            orders.Add(request.OrderId);
            await fixture.Host.DispatchAsync(request);
        }

        var outcomes = await Task.WhenAll(accounts
            .SelectMany(account => Enumerable.Range(0, attemptsEach).Select(_ => account))
            .Select(account => Task.Run(async () => (account, outcome: await TakeNextAsync(account)))));

        var taken = outcomes.Where(o => o.outcome.Succeeded).ToList();
        Assert.Equal(operators * wipLimit, taken.Count);
        Assert.Equal(taken.Count, taken.Select(o => o.outcome.JobId).Distinct().Count());
        Assert.All(outcomes.Where(o => !o.outcome.Succeeded), o => Assert.Equal("job.wip-limit", o.outcome.Code));

        var assigned = await fixture.Host.WithDbAsync(db => db.Jobs.AsNoTracking()
            .Where(j => orders.Contains(j.OrderId))
            .Select(j => new { j.JobId, j.AssignedToId, Takes = j.History.Count(s => s.Kind == StepKind.Taken) })
            .ToListAsync());
        Assert.All(assigned, j => Assert.True(j.Takes <= 1, $"job {j.JobId} was taken {j.Takes} times"));
        Assert.Equal(operators * wipLimit, assigned.Count(j => j.AssignedToId is not null));
        Assert.All(accounts, account => Assert.Equal(wipLimit, assigned.Count(j => j.AssignedToId == account)));
        Assert.All(taken, t => Assert.Equal(t.account, assigned.Single(j => j.JobId == t.outcome.JobId).AssignedToId));
    }
}
