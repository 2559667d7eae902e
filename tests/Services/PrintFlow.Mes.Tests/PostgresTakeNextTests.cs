using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Mes.Tests;

/// <summary>Take-next on real PostgreSQL: the whole host with every service's database migrated there.</summary>
public sealed class PostgresTakeNextTests(PostgresTakeNextTests.PostgresHost fixture) : IClassFixture<PostgresTakeNextTests.PostgresHost>
{
    public const int WipLimit = 4;

    public sealed class PostgresHost : IAsyncLifetime
    {
        private readonly List<PostgresTestDatabase> _databases = [];

        public PrintFlowHost Host { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            var settings = new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["Mes:WipLimit"] = WipLimit.ToString() };
            foreach (var service in new[] { "shop", "partners", "ordering", "pricing", "mes", "crm" })
            {
                var database = await PostgresTestDatabase.CreateAsync($"take_{service}");
                _databases.Add(database);
                settings[$"ConnectionStrings:{service}"] = database.ConnectionString;
            }

            Host = new PrintFlowHost(settings);
            await Host.ReadyAsync();
        }

        public async Task DisposeAsync()
        {
            Host.Dispose();
            foreach (var database in _databases)
            {
                await database.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TakeNext_WhenEightOperatorsRaceOnPostgres_TakesEveryJobOnceAndNobodyExceedsTheWipLimit()
    {
        const int operators = 8, takesEach = 8, jobs = 50;
        var accounts = await fixture.Host.WithDbAsync(async db =>
        {
            var created = Enumerable.Range(1, operators)
                .Select(i => new MesAccount(Guid.CreateVersion7(), $"pg-racer{i}@printflow.test", $"PG racer {i}", Roles.Operator, ""))
                .ToList();
            db.Accounts.AddRange(created);
            await db.SaveChangesAsync();
            return created.Select(a => a.Id).ToList();
        });
        var orders = new List<Guid>();
        for (var i = 0; i < jobs; i++)
        {
            var request = Jobs.Request(customer: $"PG customer {i}", material: "PETG");
            orders.Add(request.OrderId);
            await fixture.Host.DispatchAsync(request);
        }

        var outcomes = await Task.WhenAll(accounts
            .SelectMany(account => Enumerable.Range(0, takesEach).Select(_ => account))
            .Select(account => Task.Run(async () => (account, outcome: await fixture.Host.InScopeAsync(sp =>
                sp.GetRequiredService<FloorWork>().TakeNextAsync(account, CancellationToken.None))))));

        var taken = outcomes.Where(o => o.outcome.Succeeded).ToList();
        Assert.All(outcomes.Where(o => !o.outcome.Succeeded), o => Assert.Equal("job.wip-limit", o.outcome.Code));
        Assert.Equal(operators * WipLimit, taken.Count);
        Assert.Equal(taken.Count, taken.Select(o => o.outcome.JobId).Distinct().Count());
        var assigned = await fixture.Host.WithDbAsync(db => db.Jobs.AsNoTracking()
            .Where(j => orders.Contains(j.OrderId))
            .Select(j => new { j.JobId, j.AssignedToId, Takes = j.History.Count(s => s.Kind == StepKind.Taken) })
            .ToListAsync());
        Assert.All(assigned, j => Assert.True(j.Takes <= 1, $"job {j.JobId} was taken {j.Takes} times"));
        Assert.All(accounts, account => Assert.Equal(WipLimit, assigned.Count(j => j.AssignedToId == account)));
        Assert.All(taken, t => Assert.Equal(t.account, assigned.Single(j => j.JobId == t.outcome.JobId).AssignedToId));
    }
}
