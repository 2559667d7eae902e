using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Partners.Accounts;
using PrintFlow.Partners.Data;
using PrintFlow.Partners.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class StatusBatchTests(PartnersFixture fixture)
{
    [Fact]
    public async Task StatusEvents_WhenAppliedAsABatch_ReadTheirOrdersInOneQueryAndApplyEach()
    {
        var ids = await OrdersNobodyElseMovesAsync(3);
        using var reads = new OrderReads(ids);
        var failures = await fixture.Host.DispatchBatchAsync("partners",
            [.. ids.Select(id => PartnerApi.StatusChanged(id, OrderStatus.PriceCalculating, PartnerApi.TestVersionBase + 1))]);

        Assert.All(failures, Assert.Null);
        Assert.Equal(1, reads.Count);
        foreach (var id in ids)
        {
            Assert.Equal("PriceCalculating", (await PartnerApi.GetOrderAsync(fixture.Demo, id)).Status);
        }
    }

    /// <summary>
    /// Orders written straight into Partners' database: placed through the API they would also travel the embedded
    /// pipeline, whose own status events would read them while the batch's queries are counted.
    /// </summary>
    private async Task<List<Guid>> OrdersNobodyElseMovesAsync(int count)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PartnersDbContext>();
        var now = DateTimeOffset.UtcNow;
        var orders = Enumerable.Range(0, count).Select(_ => PartnerOrder.Submit(Guid.CreateVersion7(), DemoPartnerSeeder.PartnerId, null,
            [new OrderItem(Guid.NewGuid(), new string('a', 64), "cube.stl", 684, "PLA", 1)], LeadTime.Standard, null, now)).ToList();
        db.Orders.AddRange(orders);
        await db.SaveChangesAsync();
        return [.. orders.Select(o => o.Id)];
    }

    /// <summary>Counts the queries of partner orders that name one of <paramref name="ids"/> (other tests run alongside).</summary>
    private sealed class OrderReads : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string[] _ids;
        private readonly List<IDisposable> _subscriptions = [];
        private int _count;

        public OrderReads(IEnumerable<Guid> ids)
        {
            _ids = [.. ids.Select(id => id.ToString())];
            _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
        }

        public int Count => Volatile.Read(ref _count);

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { Command: var command }
                && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
                && command.CommandText.Contains("partner_orders", StringComparison.Ordinal)
                && Names(command))
            {
                Interlocked.Increment(ref _count);
            }
        }

        private bool Names(DbCommand command) => command.Parameters.Cast<DbParameter>()
            .Any(p => p.Value?.ToString() is { } value && _ids.Any(id => value.Contains(id, StringComparison.OrdinalIgnoreCase)));

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
