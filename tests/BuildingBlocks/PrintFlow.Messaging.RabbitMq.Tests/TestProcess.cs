using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PrintFlow.Contracts;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Messaging.RabbitMq.Tests;

/// <summary>One "process" of the test service on the RabbitMQ transport: its own host and connection, a shared SQLite file.</summary>
public sealed class TestProcess : IAsyncDisposable
{
    private readonly IHost _host;

    private TestProcess(IHost host, string connectionName)
    {
        _host = host;
        ConnectionName = connectionName;
    }

    public string ConnectionName { get; }
    public IServiceProvider Services => _host.Services;
    public Behaviour Behaviour => Services.GetRequiredService<Behaviour>();
    public ObservedEndpoint Endpoint => (ObservedEndpoint)Services.GetServices<IMessageEndpoint>().Single();
    public RabbitMqConsumerService Consumer => Services.GetRequiredService<RabbitMqConsumerService>();
    public RabbitMqConnection Connection => Services.GetRequiredService<RabbitMqConnection>();

    public static async Task<TestProcess> StartAsync(
        BrokerScope scope, Behaviour? behaviour = null, Func<IServiceProvider, Func<MessageEnvelope, Task>>? afterCommit = null,
        Uri? brokerUri = null, IReadOnlyDictionary<string, string?>? settings = null, bool oneAtATime = false)
    {
        var connectionName = $"printflow-test-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:PollInterval"] = "00:00:00.200",
            ["Messaging:RetryBaseDelay"] = "00:00:00.200",
            ["Messaging:RetryMaxDelay"] = "00:00:01",
            ["Messaging:MaxAttempts"] = "100",
            ["Messaging:RabbitMq:Uri"] = (brokerUri ?? RabbitMqTestBroker.Uri).ToString(),
            ["Messaging:RabbitMq:Exchange"] = scope.Exchange,
            ["Messaging:RabbitMq:QueuePrefix"] = scope.Prefix,
            ["Messaging:RabbitMq:ConnectionName"] = connectionName,
            ["Messaging:RabbitMq:MaxDeliveryAttempts"] = "3",
            ["Messaging:RabbitMq:RetryDelays:0"] = BrokerScope.RetryDelays[0].ToString(),
            ["Messaging:RabbitMq:RetryDelays:1"] = BrokerScope.RetryDelays[1].ToString(),
            ["Messaging:RabbitMq:ReconnectDelay"] = "00:00:00.500",
            ["Messaging:RabbitMq:ConfirmTimeout"] = "00:00:05",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.AddLogging();
        builder.Services.AddSingleton(behaviour ?? new Behaviour());
        builder.Services.AddSingleton(scope.Topology);
        builder.Services.AddMessagingEndpoint<TestDbContext>(BrokerScope.Endpoint, e =>
        {
            e.Handle<OrderCancellationRequested, RecordingHandler>();
            if (oneAtATime)
            {
                e.ApplyOneAtATime();
            }
        });
        var real = builder.Services.Last(d => d.ServiceType == typeof(IMessageEndpoint));
        builder.Services.Remove(real);
        builder.Services.AddSingleton<IMessageEndpoint>(sp => new ObservedEndpoint(
            (IMessageEndpoint)real.ImplementationFactory!(sp), afterCommit?.Invoke(sp)));
        builder.Services.AddDbContext<TestDbContext>((sp, o) => o
            .UseSqlite($"Data Source={scope.DatabaseFile};Default Timeout=30")
            .AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor<TestDbContext>>()));
        builder.AddMessagingTransport();

        var host = builder.Build();
        await using (var serviceScope = host.Services.CreateAsyncScope())
        {
            var db = serviceScope.ServiceProvider.GetRequiredService<TestDbContext>();
            await db.Database.EnsureCreatedAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        await host.StartAsync();
        var process = new TestProcess(host, connectionName);
        if (brokerUri is null)
        {
            await PrintFlow.Testing.Eventually.UntilAsync(() => Task.FromResult(process.Consumer.ActiveConsumers == 1), "the consumer is registered");
        }

        return process;
    }

    public async Task<List<Guid>> PublishAsync(int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var orderId = Guid.CreateVersion7();
            ids.Add(orderId);
            db.Publish(new OrderCancellationRequested(orderId, "test", $"message {i}", DateTimeOffset.UtcNow));
        }

        await db.SaveChangesAsync();
        return ids;
    }

    public async Task<T> QueryAsync<T>(Func<TestDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TestDbContext>());
    }

    public Task<int> EffectsAsync() => QueryAsync(db => db.Effects.CountAsync());

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(stop.Token);
        }
        finally
        {
            if (_host is IAsyncDisposable disposable) await disposable.DisposeAsync();
            else _host.Dispose();
        }
    }
}
