using System.Diagnostics;
using PrintFlow.Testing.Infrastructure;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PrintFlow.Messaging.RabbitMq.Tests;

/// <summary>One test's corner of the shared broker: unique exchange and queue names, deleted again on dispose.</summary>
public sealed class BrokerScope : IAsyncDisposable
{
    public const string Endpoint = "test";
    public static readonly string Message = MessageTypes.NameOf<PrintFlow.Contracts.OrderCancellationRequested>();
    public static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)];

    private readonly string _id = Guid.NewGuid().ToString("N")[..10];

    public string Exchange => $"t{_id}.events";
    public string Prefix => $"t{_id}.";
    public RabbitMqNames Names => new(Exchange, Prefix);
    public string Queue => Names.Queue(Endpoint, Message);
    public string DeadLetterQueue => RabbitMqNames.DeadLetterQueue(Queue);
    public MessageTopology Topology { get; } = new(new Dictionary<string, IReadOnlyList<string>> { [Endpoint] = [Message] });
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("printflow-rabbitmq-").FullName;
    public string DatabaseFile => Path.Combine(Directory, "test.db");

    public static async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = RabbitMqTestBroker.Uri, ClientProvidedName = "printflow-tests" }.CreateConnectionAsync();

    public async Task<uint> CountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Closes a process's connection from the broker side, as a network failure or a broker restart would.</summary>
    public static async Task ForceCloseConnectionAsync(string connectionName)
    {
        var listing = await RabbitMqCtlAsync("list_connections", "pid", "client_properties");
        var pid = listing.Split('\n').Where(line => line.Contains(connectionName, StringComparison.Ordinal))
            .Select(line => line.Split('\t')[0]).FirstOrDefault()
            ?? throw new InvalidOperationException($"No connection named {connectionName}:\n{listing}");
        await RabbitMqCtlAsync("close_connection", pid, "test: simulated connection loss");
    }

    private static async Task<string> RabbitMqCtlAsync(params string[] args)
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-q");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed: {error}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var connection = await ConnectAsync();
            foreach (var queue in new[] { Queue, DeadLetterQueue }.Concat(RetryDelays.Select(Names.Delay)))
            {
                await using var channel = await connection.CreateChannelAsync();
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            }

            foreach (var exchange in new[] { Exchange }.Concat(RetryDelays.Select(Names.Delay)))
            {
                await using var channel = await connection.CreateChannelAsync();
                await channel.ExchangeDeleteAsync(exchange, ifUnused: false);
            }
        }
        catch (Exception exception) when (exception is OperationInterruptedException or BrokerUnreachableException)
        {
            // Best effort: names are unique, leftovers harm no other test.
        }

        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
