using PrintFlow.Mes.Tests.Support;

namespace PrintFlow.Mes.Tests;

public sealed class TakeNextContentionTests(TakeNextContentionTests.WipTwoHost fixture) : IClassFixture<TakeNextContentionTests.WipTwoHost>
{
    public sealed class WipTwoHost : HostFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Mes:WipLimit"] = "2" };
    }

    [Fact]
    public Task TakeNext_WhenManyOperatorsRaceForFewerSlotsThanJobs_TakesEachJobOnceAndRespectsTheWipLimit() =>
        TakeNextRace.RunAndAssertAsync(fixture.Host, "racer", operators: 5, takesEach: 6, jobs: 14, wipLimit: 2);
}
