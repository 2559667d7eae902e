using PrintFlow.Cli.Tests;
using PrintFlow.Testing;
using PrintFlow.Testing.Infrastructure;

namespace PrintFlow.Messaging.RabbitMq.Tests;

[Trait("Category", "Infrastructure")]
public sealed class DeadLetterTests : IAsyncLifetime
{
    private readonly BrokerScope _broker = new();

    [Fact]
    public async Task Consume_WhenHandlerAlwaysFails_DeadLettersWithErrorAndReplayBringsItBack()
    {
        var behaviour = new Behaviour { AlwaysFail = true };
        await using var process = await TestProcess.StartAsync(_broker, behaviour);
        var order = (await process.PublishAsync(1)).Single();

        await Eventually.UntilAsync(() => _broker.CountAsync(_broker.DeadLetterQueue), n => n == 1, "the message reaches the dead-letter queue");
        Assert.Equal(3, behaviour.Handled.Values.Single());
        Assert.Equal(0u, await _broker.CountAsync(_broker.Queue));

        var show = await CliAsync("dlq", "show", _broker.DeadLetterQueue, "--count", "5");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"order id:   {order}", show.Stdout);
        Assert.Contains("attempts:   3", show.Stdout);
        Assert.Contains("Simulated handler failure.", show.Stdout);
        Assert.Equal(1u, await _broker.CountAsync(_broker.DeadLetterQueue)); // show takes nothing away

        behaviour.AlwaysFail = false;
        var replay = await CliAsync("dlq", "replay", _broker.DeadLetterQueue, "--all");

        Assert.Equal(0, replay.ExitCode);
        Assert.Contains("replayed 1 message(s)", replay.Stdout);
        await Eventually.UntilAsync(process.EffectsAsync, n => n == 1, "the replayed message is applied");
        Assert.Equal(0u, await _broker.CountAsync(_broker.DeadLetterQueue));
    }

    [Fact]
    public async Task DlqList_WhenBrokerIsUnreachable_ExitsTwoWithASentence()
    {
        var run = await CliAsync("dlq", "list", "--uri", "amqp://127.0.0.1:1/");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot be reached", run.Stderr);
        Assert.Contains("[broker.unreachable]", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task DlqShow_WhenQueueDoesNotExist_ExitsTwo()
    {
        var run = await CliAsync("dlq", "show", $"{_broker.Prefix}nothing.here.dlq");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("[dlq.queue-not-found]", run.Stderr);
    }

    [Fact]
    public async Task DlqList_WhenUriCarriesAPassword_RefusesWithoutEchoingIt()
    {
        var run = await CliAsync("dlq", "list", "--uri", "amqp://ops:s3cret-pass@127.0.0.1:1/");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--uri-file", run.Stderr);
        Assert.DoesNotContain("s3cret-pass", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task DlqList_WhenUriFileNamesTheBroker_ReadsTheAddressFromIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"printflow-dlq-{Guid.NewGuid():N}.uri");
        await File.WriteAllTextAsync(file, RabbitMqTestBroker.Uri + "\n");
        try
        {
            // The variable points nowhere: only the file's address can succeed.
            var run = await CliProcess.RunAsync(["dlq", "list", "--uri-file", file, "--prefix", _broker.Prefix],
                new Dictionary<string, string> { ["PRINTFLOW_RABBITMQ_URI"] = "amqp://127.0.0.1:1/" });

            Assert.True(run.ExitCode == 0, run.Stderr);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The built printflow CLI as its own process, pointed at the test broker unless the test names one.</summary>
    private static Task<CliProcess.Result> CliAsync(params string[] args) =>
        CliProcess.RunAsync(args, args.Contains("--uri")
            ? null
            : new Dictionary<string, string> { ["PRINTFLOW_RABBITMQ_URI"] = RabbitMqTestBroker.Uri.ToString() });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _broker.DisposeAsync();
}
