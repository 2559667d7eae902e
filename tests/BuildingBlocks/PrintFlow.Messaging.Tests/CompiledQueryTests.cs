using Microsoft.EntityFrameworkCore;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Messaging.Tests;

/// <summary>
/// A compiled query serves each model of its context: the embedded default's SQLite one and PostgreSQL's, in one
/// process, as the tests run them.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class CompiledQueryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("printflow-compiled-").FullName;
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 5, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task For_TheSqliteAndThePostgresModelOfOneContext_RunsTheQueryOnEach()
    {
        var countOf = new CompiledQuery<Func<TestDbContext, int, CancellationToken, Task<int?>>>(() =>
            EF.CompileAsyncQuery((TestDbContext db, int id, CancellationToken _) =>
                db.Tallies.Where(t => t.Id == id).Select(t => (int?)t.Count).FirstOrDefault()));
        await using var postgres = await PostgresTestDatabase.CreateAsync("compiled");
        await using var sqlite = await TestProcess.StartAsync(Path.Combine(_directory, "service.db"), _clock);
        await using var server = await TestProcess.StartAsync(o => o.UseNpgsql(postgres.ConnectionString), _clock);
        var inSqlite = await AddTallyAsync(sqlite, 5);
        var inPostgres = await AddTallyAsync(server, 7);

        // Twice each, alternating: the second call of each model runs the query compiled for it at the first.
        for (var round = 0; round < 2; round++)
        {
            Assert.Equal(5, await sqlite.QueryAsync(db => countOf.For(db)(db, inSqlite, CancellationToken.None)));
            Assert.Equal(7, await server.QueryAsync(db => countOf.For(db)(db, inPostgres, CancellationToken.None)));
        }

        // The reason for it: one EF compiled query is bound to the first model it ran with.
        var once = EF.CompileAsyncQuery((TestDbContext db, int id, CancellationToken _) =>
            db.Tallies.Where(t => t.Id == id).Select(t => (int?)t.Count).FirstOrDefault());
        Assert.Equal(5, await sqlite.QueryAsync(db => once(db, inSqlite, CancellationToken.None)));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => server.QueryAsync(db => once(db, inPostgres, CancellationToken.None)));
        Assert.Contains("different model", refused.Message, StringComparison.Ordinal);
    }

    private static Task<int> AddTallyAsync(TestProcess process, int count) => process.QueryAsync(async db =>
    {
        var tally = new Tally { Count = count };
        db.Tallies.Add(tally);
        await db.SaveChangesAsync();
        return tally.Id;
    });

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
