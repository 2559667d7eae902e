using System.Diagnostics;
using System.Globalization;
using PrintFlow.Bench;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

// What one message costs the broker itself, measured at its best: persistent messages published with confirms
// (pipelined, not one at a time), delivered with a large prefetch and acked in groups. PrintFlow's own traffic pays at
// least this per delivery, so it bounds what any consumer code can reach on this machine.
//
//   printflow-broker-bench [--uri amqp://printflow:printflow@localhost:5672/] [--messages 40000] [--size 1024]
//                          [--ack-every 100] [--confirm-window 500]
// --ack-every 1 acks each message on its own, as PrintFlow's consumers do; --confirm-window 1 publishes one at a time.

var uri = new Uri(Option("--uri", Environment.GetEnvironmentVariable("PRINTFLOW_RABBITMQ_URI") ?? "amqp://printflow:printflow@localhost:5672/"));
var messages = int.Parse(Option("--messages", "40000"), CultureInfo.InvariantCulture);
var size = int.Parse(Option("--size", "1024"), CultureInfo.InvariantCulture);
var ackEvery = int.Parse(Option("--ack-every", "100"), CultureInfo.InvariantCulture);
var confirmWindow = int.Parse(Option("--confirm-window", "500"), CultureInfo.InvariantCulture);
if (messages < 1000 || size < 1 || ackEvery is < 1 or > 1000 || confirmWindow < 1)
{
    Console.Error.WriteLine("--messages must be at least 1000, --size and --confirm-window at least 1, --ack-every 1 to 1000 (the prefetch).");
    return 2;
}

var broker = BrokerProcess.Find();
if (broker is null)
{
    Console.Error.WriteLine("No RabbitMQ (beam.smp) process on this machine: start one with scripts/start-rabbitmq.sh.");
    return 2;
}

IConnection connection;
try
{
    connection = await new ConnectionFactory { Uri = uri, ClientProvidedName = "printflow-broker-bench" }.CreateConnectionAsync();
}
catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException)
{
    Console.Error.WriteLine($"RabbitMQ at {uri.Host}:{uri.Port} does not answer: {exception.Message}");
    return 2;
}

await using (connection)
{
    Console.WriteLine($"{messages} persistent messages of {size} bytes per queue type, acked every {ackEvery}, {confirmWindow} confirms in flight, " +
        $"broker pid {broker}, {Environment.ProcessorCount} cores");
    await RunAsync(connection, "classic", messages / 10, size, ackEvery, confirmWindow, broker.Value); // warm-up, not reported
    var classic = await RunAsync(connection, "classic", messages, size, ackEvery, confirmWindow, broker.Value);
    var quorum = await RunAsync(connection, "quorum", messages, size, ackEvery, confirmWindow, broker.Value);
    foreach (var r in new[] { classic, quorum })
    {
        Console.WriteLine($"  {r.Kind,-8} {r.PerSecond,8:F0} messages/s   broker CPU {r.BrokerMicroseconds,6:F1} µs per message   " +
            $"client CPU {r.ClientMicroseconds,5:F1} µs (publish and consume)");
    }

    // An auto-confirmed order causes 12 deliveries in PrintFlow (README; decisions 12 and 13), each one publish, one
    // enqueue and one ack.
    const int DeliveriesPerOrder = 12;
    var ordersPerCore = 1_000_000 / (quorum.BrokerMicroseconds * DeliveriesPerOrder);
    Console.WriteLine($"broker_us_per_message quorum={quorum.BrokerMicroseconds:F1} classic={classic.BrokerMicroseconds:F1} " +
        $"ratio={quorum.BrokerMicroseconds / classic.BrokerMicroseconds:F2} orders_per_broker_core={ordersPerCore:F0} (at {DeliveriesPerOrder} quorum deliveries per order) " +
        $"client_us_per_message={quorum.ClientMicroseconds:F1}");
}

return 0;

static async Task<Result> RunAsync(IConnection connection, string kind, int count, int size, int ackEvery, int window, int broker)
{
    var queue = $"printflow.bench.{kind}.{Guid.NewGuid():N}";
    await using var setup = await connection.CreateChannelAsync();
    await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
        arguments: new Dictionary<string, object?> { ["x-queue-type"] = kind });
    try
    {
        await using var consuming = await connection.CreateChannelAsync();
        await consuming.BasicQosAsync(0, 1000, false);
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(consuming);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var n = ++received; // one dispatch at a time per channel
            if (n % ackEvery == 0 || n == count)
            {
                await consuming.BasicAckAsync(delivery.DeliveryTag, multiple: true);
            }

            if (n == count)
            {
                done.TrySetResult();
            }
        };
        await consuming.BasicConsumeAsync(queue, autoAck: false, consumer);

        await using var publishing = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var body = new byte[size];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };

        var brokerBefore = BrokerProcess.CpuTicks(broker);
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var sent = 0; sent < count; sent += window) // window: confirms in flight at once
        {
            var batch = Enumerable.Range(0, Math.Min(window, count - sent))
                .Select(_ => publishing.BasicPublishAsync("", queue, mandatory: true, properties, body).AsTask());
            await Task.WhenAll(batch);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        var brokerTicks = BrokerProcess.CpuTicks(broker) - brokerBefore;
        var microseconds = brokerTicks * (1_000_000.0 / ProcCpu.TicksPerSecond) / count;
        var client = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalMicroseconds / count;
        return new Result(kind, count / elapsed.TotalSeconds, microseconds, client);
    }
    finally
    {
        await setup.QueueDeleteAsync(queue);
    }
}

static string Option(string name, string fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

/// <summary>One queue type's run: messages per second, and the CPU per message of the broker and of this client (which
/// publishes and consumes every message, at its best: pipelined confirms, acks in groups, no work per message).</summary>
internal sealed record Result(string Kind, double PerSecond, double BrokerMicroseconds, double ClientMicroseconds);

/// <summary>The broker's Erlang VM and its CPU time (ProcCpu, bench/Shared).</summary>
internal static class BrokerProcess
{
    public static int? Find()
    {
        foreach (var pid in ProcCpu.Pids())
        {
            if (ProcCpu.CommandLine(pid) is { } cmdline
                && cmdline.Contains("beam.smp", StringComparison.Ordinal) && cmdline.Contains("rabbit", StringComparison.Ordinal))
            {
                return pid;
            }
        }

        return null;
    }

    public static long CpuTicks(int pid) => ProcCpu.Ticks(pid) ?? throw new InvalidOperationException($"The broker's process {pid} has ended.");
}
