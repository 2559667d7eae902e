using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Messaging;
using PrintFlow.Ordering.Data;
using PrintFlow.Ordering.Domain;

namespace PrintFlow.Ordering.Tests;

/// <summary>Ordering's database on a real SQLite file of its own, with what the tests read back from it.</summary>
internal sealed class OrderingDatabase : IAsyncDisposable
{
    private readonly string _file;

    private OrderingDatabase(string file, ServiceProvider services)
    {
        _file = file;
        Services = services;
    }

    public ServiceProvider Services { get; }

    /// <param name="configure">Adds what the test needs beside the DbContext (clock, options, the watchdog).</param>
    public static async Task<OrderingDatabase> CreateAsync(Action<IServiceCollection>? configure = null)
    {
        var file = Path.Combine(Path.GetTempPath(), $"ordering-{Guid.NewGuid():N}.db");
        var services = new ServiceCollection();
        services.AddSingleton<LiveFeed>();
        services.AddDbContext<OrderingDbContext>(o => o.UseSqlite($"Data Source={file}"));
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Database.EnsureCreatedAsync();
        return new OrderingDatabase(file, provider);
    }

    /// <summary>Saves an order walked to <paramref name="status"/> by <see cref="OrderFactory.In"/>.</summary>
    public async Task<Order> SaveAsync(OrderStatus status)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
        var order = OrderFactory.In(status);
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        return order;
    }

    public async Task<Order> FindAsync(Guid id)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Orders.AsNoTracking().SingleAsync(o => o.Id == id);
    }

    public async Task<List<OrderTransition>> TransitionsAsync(Guid orderId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Transitions.AsNoTracking()
            .Where(t => t.OrderId == orderId).OrderBy(t => t.Id).ToListAsync();
    }

    /// <summary>Has the handler <paramref name="handler"/> builds handle <paramref name="message"/> and saves, as the endpoint does.</summary>
    public async Task HandleAsync<T>(T message, Func<OrderingDbContext, IIntegrationEventHandler<T>> handler) where T : IIntegrationEvent
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrderingDbContext>();
        var context = new MessageContext(Guid.NewGuid(), MessageTypes.NameOf<T>(), message.OrderId, DateTimeOffset.UtcNow);
        await handler(db).HandleAsync(message, context, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    /// <summary>The events of type <typeparamref name="T"/> in Ordering's outbox, in publishing order.</summary>
    public async Task<List<T>> OutboxAsync<T>() where T : IIntegrationEvent
    {
        await using var scope = Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<OrderingDbContext>().Outbox
            .Where(m => m.Name == MessageTypes.NameOf<T>()).OrderBy(m => m.Id).ToListAsync();
        return [.. rows.Select(r => (T)MessageSerializer.Deserialize(r.ToEnvelope()))];
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
