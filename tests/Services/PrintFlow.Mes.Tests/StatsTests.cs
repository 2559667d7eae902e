using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Mes.Queries;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;

namespace PrintFlow.Mes.Tests;

public sealed class StatsTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Stats_WhenAnOperatorPacksAJob_CountItDoneTodayWithAnAverageForEveryStep()
    {
        var host = fixture.Host;
        var request = Jobs.Request(customer: "Stats Customer");
        await host.DispatchAsync(request);
        var job = await host.JobAsync(request.OrderId);
        var oscar = await host.AccountIdAsync(Browserless.Operator2);
        await host.TakeAndStepAsync(job.JobId, oscar,
            JobAction.StartPrinting, JobAction.ToPostProcessing, JobAction.ToQualityCheck, JobAction.PassQualityCheck);

        var mine = Assert.Single(await host.InScopeAsync(sp => sp.GetRequiredService<StatsQuery>().ForAsync(oscar, CancellationToken.None)));
        var everyone = await host.InScopeAsync(sp => sp.GetRequiredService<StatsQuery>().ForAsync(null, CancellationToken.None));

        Assert.Equal(("Oscar Operator", 1, 4, 0), (mine.Name, mine.JobsDoneToday, mine.StepsToday, mine.JobsInProgress));
        Assert.Equal([OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck, OrderStatus.Packed], mine.Averages.Select(a => a.Stage));
        Assert.All(mine.Averages, a => Assert.True(a.Average >= TimeSpan.Zero));
        Assert.Equal(3, everyone.Count);
    }

    [Fact]
    public async Task StatsPage_WhenSupervisor_ShowsEveryoneAndTheReassignForm_ButAnOperatorSeesOnlyThemselves()
    {
        var supervisor = await (await fixture.Host.SignedInAsync(Browserless.Supervisor)).GetStringAsync("/mes/me");
        var operatorPage = await (await fixture.Host.SignedInAsync(Browserless.Operator)).GetStringAsync("/mes/me");

        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(supervisor, "data-testid=\"person-stats\""));
        Assert.Contains("data-testid=\"reassign-form\"", supervisor, StringComparison.Ordinal);
        Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(operatorPage, "data-testid=\"person-stats\""));
        Assert.DoesNotContain("data-testid=\"reassign-form\"", operatorPage, StringComparison.Ordinal);
    }
}
