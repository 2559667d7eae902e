using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Messaging.Tests;

/// <summary>Batches on a real PostgreSQL database: the messages share one DbContext, connection and transaction.</summary>
[Trait("Category", "Infrastructure")]
public sealed class PostgresMessageEndpointTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 4, 8, 0, 0, TimeSpan.Zero));

    private MessageEnvelope Envelope(Guid orderId) => TestEnvelopes.Cancellation(orderId, _clock);

    [Fact]
    public async Task DispatchBatch_OnPostgres_CommitsOnceAndARepeatSplitsIt()
    {
        await using var database = await PostgresTestDatabase.CreateAsync("batch");
        var commits = new CommitCounter();
        await using var process = await TestProcess.StartAsync(
            o => o.UseNpgsql(database.ConnectionString).AddInterceptors(commits), _clock, new Behaviour { RecordFirstSeen = true });
        var orderA = Guid.NewGuid();
        var first = new[] { Envelope(orderA), Envelope(Guid.NewGuid()), Envelope(orderA), Envelope(Guid.NewGuid()) };

        var before = commits.Count;
        Assert.All(await process.Endpoint.DispatchBatchAsync(first, CancellationToken.None), Assert.Null);
        Assert.Equal(1, commits.Count - before);
        Assert.Equal(3, await process.QueryAsync(db => db.FirstSeen.CountAsync()));

        // A redelivered message with two new ones: the batch rolls back on the inbox key and each is applied alone.
        Assert.All(await process.Endpoint.DispatchBatchAsync([Envelope(orderA), first[2], Envelope(Guid.NewGuid())], CancellationToken.None), Assert.Null);
        Assert.Equal(2, commits.Count - before - 1); // after the batch's one, the two new messages alone
        Assert.Equal(6, await process.QueryAsync(db => db.Effects.CountAsync()));
        Assert.Equal(6, await process.QueryAsync(db => db.Inbox.CountAsync()));
        Assert.Equal(4, await process.QueryAsync(db => db.FirstSeen.CountAsync()));

        // The pooled contexts the batches used start clean: rented side by side, each has its own connection, and
        // they query at the same time.
        var scopes = Enumerable.Range(0, first.Length + 1).Select(_ => process.Services.CreateAsyncScope()).ToList();
        try
        {
            var contexts = scopes.Select(s => s.ServiceProvider.GetRequiredService<TestDbContext>()).ToList();
            Assert.Equal(contexts.Count, contexts.Select(db => db.Database.GetDbConnection()).Distinct().Count());
            Assert.All(await Task.WhenAll(contexts.Select(db => db.Inbox.CountAsync())), count => Assert.Equal(6, count));
        }
        finally
        {
            foreach (var scope in scopes)
            {
                await scope.DisposeAsync();
            }
        }
    }
}
