using System.Globalization;
using PrintFlow.Messaging.RabbitMq;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace PrintFlow.Cli;

/// <summary><c>printflow dlq list|show|replay</c>: the dead-letter queues of the RabbitMQ transport.</summary>
internal static class DlqCommand
{
    public const string UriVariable = "PRINTFLOW_RABBITMQ_URI";

    public const string Usage = """
        Usage: printflow dlq list                          [--uri-file FILE] [--prefix P]
               printflow dlq show QUEUE [--count N]        [--uri-file FILE]
               printflow dlq replay QUEUE [--count N|--all] [--uri-file FILE]

        Dead-letter queues hold messages a consumer failed on Messaging:RabbitMq:MaxDeliveryAttempts times.
          list     every dead-letter queue of the PrintFlow topology with its message count
          show     the first N messages (default 10): id, name, order id, attempts, last error, body
          replay   moves N messages (default 1; --all for all) back to their queue, confirmed before removed
          --uri-file  a file holding the broker address with its user and password (mode 0600)
          --uri    broker address without a password (the process list shows it to every user of the machine)
                   default: $PRINTFLOW_RABBITMQ_URI, else amqp://printflow:printflow@localhost:5672/ (local development)
          --prefix queue-name prefix (Messaging:RabbitMq:QueuePrefix; empty in production)
        Exit codes: 0 done, 2 error (bad arguments, broker unreachable, no such queue).
        """;

    private const int BodyBytes = 400;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var options = DlqArguments.Parse(args);
        await using var connection = await ConnectAsync(options.Uri, cancellationToken);
        var queues = new DeadLetterQueues(connection, new RabbitMqNames("printflow.events", options.Prefix), PrintFlowTopology.Default);
        try
        {
            switch (options.Action)
            {
                case "list":
                    var list = await queues.ListAsync(cancellationToken);
                    stdout.WriteLine($"{"QUEUE",-60} {"MESSAGES",8}");
                    foreach (var q in list)
                    {
                        stdout.WriteLine($"{q.Queue,-60} {q.Messages,8}");
                    }

                    if (list.Count == 0)
                    {
                        stdout.WriteLine("(no dead-letter queue declared yet: no PrintFlow consumer has started against this broker)");
                    }

                    break;
                case "show":
                    var messages = await queues.PeekAsync(options.Queue!, options.Count ?? 10, BodyBytes, cancellationToken);
                    stdout.WriteLine($"{messages.Count} message(s) shown from {options.Queue}");
                    foreach (var m in messages)
                    {
                        stdout.WriteLine();
                        stdout.WriteLine($"message id: {m.MessageId}");
                        stdout.WriteLine($"name:       {m.Name}");
                        stdout.WriteLine($"order id:   {m.OrderId}");
                        stdout.WriteLine($"attempts:   {m.Attempts?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
                        stdout.WriteLine($"failed at:  {m.FailedAt}");
                        stdout.WriteLine($"last error: {m.LastError}");
                        stdout.WriteLine($"body:       {m.Body}");
                    }

                    break;
                case "replay":
                    var replayed = await queues.ReplayAsync(options.Queue!, options.All ? null : options.Count ?? 1, cancellationToken);
                    stdout.WriteLine($"replayed {replayed} message(s) from {options.Queue} to {RabbitMqNames.OriginalQueue(options.Queue!)}");
                    break;
            }
        }
        catch (KeyNotFoundException e)
        {
            throw new CliError("dlq.queue-not-found", e.Message);
        }
        catch (Exception e) when (e is OperationInterruptedException or AlreadyClosedException or RabbitMQ.Client.Exceptions.PublishException)
        {
            throw new CliError("broker.error", $"RabbitMQ refused the operation: {e.Message}");
        }

        return CliApp.Quoted;
    }

    private static async Task<IConnection> ConnectAsync(string uri, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(uri),
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "printflow-cli",
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (BrokerUnreachableException e)
        {
            var safe = new UriBuilder(factory.Uri) { Password = "", UserName = "" }.Uri;
            throw new CliError("broker.unreachable",
                $"RabbitMQ at {safe.Host}:{safe.Port} cannot be reached ({e.InnerException?.Message ?? e.Message}). Start it (scripts/start-rabbitmq.sh) or give its address in ${UriVariable} or a file named by --uri-file.");
        }
    }
}

/// <summary>The parsed command line of <c>printflow dlq</c>.</summary>
internal sealed record DlqArguments(string Action, string? Queue, int? Count, bool All, string Uri, string Prefix)
{
    public static DlqArguments Parse(string[] args)
    {
        if (args.Length < 2 || args[1] is "-h" or "--help") throw new HelpRequested(DlqCommand.Usage);
        var action = args[1];
        if (action is not ("list" or "show" or "replay"))
            throw CliError.Usage($"Unknown dlq action '{action}'; use list, show or replay.");

        string? queue = null;
        int? count = null;
        var all = false;
        var uri = Environment.GetEnvironmentVariable(DlqCommand.UriVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : RabbitMqOptions.DefaultUri;
        var prefix = "";
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help": throw new HelpRequested(DlqCommand.Usage);
                case "--all": all = true; break;
                case "--json": break;
                case "--uri":
                    uri = Value(args, ref i);
                    if (System.Uri.TryCreate(uri, UriKind.Absolute, out var given) && given.UserInfo.Contains(':', StringComparison.Ordinal))
                        throw CliError.Usage($"--uri carries a password, which every user of this machine can read in the process list; put the address in ${DlqCommand.UriVariable} or in a file named by --uri-file.");
                    break;
                case "--uri-file":
                    var file = Value(args, ref i);
                    try
                    {
                        uri = File.ReadAllText(file).Trim();
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw CliError.Usage($"--uri-file: {file} cannot be read ({e.Message}).");
                    }

                    break;
                case "--prefix": prefix = Value(args, ref i); break;
                case "--count":
                    var text = Value(args, ref i);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                        throw CliError.Usage($"--count must be a whole number of at least 1, not '{text}'.");
                    count = n;
                    break;
                default:
                    if (args[i].StartsWith('-')) throw CliError.Usage($"Unknown option '{args[i]}'.");
                    if (queue is not null) throw CliError.Usage($"Name one queue ('{queue}' and '{args[i]}').");
                    queue = args[i];
                    break;
            }
        }

        if (action != "list" && queue is null) throw CliError.Usage($"Name the dead-letter queue, e.g. printflow dlq {action} ordering.orders.submitted.dlq.");
        if (action == "list" && queue is not null) throw CliError.Usage("dlq list takes no queue name.");
        if (queue is not null && RabbitMqNames.OriginalQueue(queue) is null) throw CliError.Usage($"'{queue}' is not a dead-letter queue (its name ends in .dlq).");
        if (all && count is not null) throw CliError.Usage("Use --count N or --all, not both.");
        if (all && action != "replay") throw CliError.Usage("--all is for dlq replay.");
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
            throw CliError.Usage("The broker address must be an amqp:// or amqps:// address.");
        return new DlqArguments(action, queue, count, all, uri, prefix);
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw CliError.Usage($"{args[i]} needs a value.");
        return args[++i];
    }
}
