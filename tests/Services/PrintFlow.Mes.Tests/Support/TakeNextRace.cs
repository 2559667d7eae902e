using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Accounts;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Work;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>
/// Operators pressing "Take next" all at once on whatever database the host runs: afterwards every job was taken at
/// most once, each operator holds exactly the WIP limit, and every refusal says so.
/// </summary>
internal static class TakeNextRace
{
    public static async Task RunAndAssertAsync(PrintFlowHost host, string prefix, int operators, int takesEach, int jobs, int wipLimit)
    {
        var accounts = await host.WithDbAsync(async db =>
        {
            var created = Enumerable.Range(1, operators)
                .Select(i => new MesAccount(Guid.CreateVersion7(), $"{prefix}{i}@printflow.test", $"{prefix} {i}", Roles.Operator, ""))
                .ToList();
            db.Accounts.AddRange(created);
            await db.SaveChangesAsync();
            return created.Select(a => a.Id).ToList();
        });
        var orders = new List<Guid>();
        for (var i = 0; i < jobs; i++)
        {
            var request = Jobs.Request(customer: $"{prefix} customer {i}", material: "PETG");
            orders.Add(request.OrderId);
            await host.DispatchAsync(request);
        }

        var outcomes = await Task.WhenAll(accounts
            .SelectMany(account => Enumerable.Range(0, takesEach).Select(_ => account))
            .Select(account => Task.Run(async () => (account, outcome: await host.InScopeAsync(sp =>
                sp.GetRequiredService<FloorWork>().TakeNextAsync(account, CancellationToken.None))))));

        var taken = outcomes.Where(o => o.outcome.Succeeded).ToList();
        Assert.All(outcomes.Where(o => !o.outcome.Succeeded), o => Assert.Equal("job.wip-limit", o.outcome.Code));
        Assert.Equal(operators * wipLimit, taken.Count);
        Assert.Equal(taken.Count, taken.Select(o => o.outcome.JobId).Distinct().Count());
        var assigned = await host.WithDbAsync(db => db.Jobs.AsNoTracking()
            .Where(j => orders.Contains(j.OrderId))
            .Select(j => new { j.JobId, j.AssignedToId, Takes = j.History.Count(s => s.Kind == StepKind.Taken) })
            .ToListAsync());
        Assert.All(assigned, j => Assert.True(j.Takes <= 1, $"job {j.JobId} was taken {j.Takes} times"));
        Assert.Equal(operators * wipLimit, assigned.Count(j => j.AssignedToId is not null));
        Assert.All(accounts, account => Assert.Equal(wipLimit, assigned.Count(j => j.AssignedToId == account)));
        Assert.All(taken, t => Assert.Equal(t.account, assigned.Single(j => j.JobId == t.outcome.JobId).AssignedToId));
    }
}
