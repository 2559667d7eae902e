using PrintFlow.Mes.Tests.Support;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Mes.Tests;

/// <summary>Take-next on real PostgreSQL: the whole host with every service's database migrated there.</summary>
[Trait("Category", "Infrastructure")]
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
            foreach (var service in new[] { "shop", "partners", "ordering", "pricing", "mes", "crm", "notifications" })
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
    public Task TakeNext_WhenEightOperatorsRaceOnPostgres_TakesEveryJobOnceAndNobodyExceedsTheWipLimit() =>
        TakeNextRace.RunAndAssertAsync(fixture.Host, "pg-racer", operators: 8, takesEach: 8, jobs: 50, wipLimit: WipLimit);
}
