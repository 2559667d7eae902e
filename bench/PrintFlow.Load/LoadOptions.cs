using System.Globalization;

namespace PrintFlow.Load;

/// <summary>Command line of the load generator; every option has a default that works against deploy/local/up.sh.</summary>
internal sealed record LoadOptions(
    Uri BaseUrl,
    string ApiKey,
    double Rate,
    TimeSpan Duration,
    int? Orders,
    int Triangles,
    bool UniqueModels,
    int FirstVariant,
    string Target,
    TimeSpan SettleTimeout,
    string? Label,
    string? OutFile,
    int ShopOrders = 0,
    string? ShopOutFile = null,
    Uri? WebhookUrl = null,
    string? WebhookSecretFile = null)
{
    public const string Usage = """
        printflow-load [--url http://localhost:8080] [--key $PRINTFLOW_LOAD_KEY] [--rate 100] [--duration 30]
                       [--orders N] [--triangles 12] [--unique-models [--first-variant 1]] [--target ManufacturingApproved]
                       [--settle-timeout 120] [--label NAME] [--out results.tsv]
                       [--shop-orders N --shop-out shop.tsv] [--webhook-url URL --webhook-secret-file secret.txt]
        printflow-load sink ...      an SMTP server and webhook receiver recording what they get (bench/faults.sh)
        printflow-load verify ...    every email and webhook of the run's orders arrived, once (bench/faults.sh)

        Submits orders to the Partner API at --rate per second (open loop) for --duration seconds (or --orders in
        total), with the load-test partner whose quotes confirm themselves; then follows every order until it
        reaches --target (or a terminal state) and prints throughput, latency percentiles (submit → target, from
        the order's own history) and lost orders. The key defaults to $PRINTFLOW_LOAD_KEY (bench/lib.sh sets it from
        the benchmark partner deploy/local/up.sh creates), else the Development demo key pfk_load_0123456789abcdef. --triangles sets the model size (a torus); --unique-models gives
        every order a different file, so Pricing cannot answer from its analysis cache; the files are numbered from
        --first-variant, so a later run with another first variant gets files Pricing has not seen either.
        Every partner order carries a shipping address. --shop-orders also places N orders through the Shop's forms
        (one new customer, with an address) and follows them until priced; --webhook-url registers the partner's
        webhook endpoint first and writes its signing secret to --webhook-secret-file.
        """;

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "--unique-models")
            {
                flags.Add(name);
            }
            else if (name.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[name] = args[++i];
            }
            else
            {
                throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
        double Number(string name, double fallback) =>
            double.TryParse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new ArgumentException($"{name} must be a positive number.");

        var options = new LoadOptions(
            new Uri(Get("--url", "http://localhost:8080").TrimEnd('/') + "/"),
            Get("--key", Environment.GetEnvironmentVariable("PRINTFLOW_LOAD_KEY") is { Length: > 0 } key ? key : "pfk_load_0123456789abcdef"),
            Number("--rate", 100),
            TimeSpan.FromSeconds(Number("--duration", 30)),
            values.ContainsKey("--orders") ? (int)Number("--orders", 1) : null,
            (int)Number("--triangles", 12),
            flags.Contains("--unique-models"),
            (int)Number("--first-variant", 1),
            Get("--target", "ManufacturingApproved"),
            TimeSpan.FromSeconds(Number("--settle-timeout", 120)),
            values.GetValueOrDefault("--label"),
            values.GetValueOrDefault("--out"),
            values.ContainsKey("--shop-orders") ? (int)Number("--shop-orders", 1) : 0,
            values.GetValueOrDefault("--shop-out"),
            values.TryGetValue("--webhook-url", out var hook) ? new Uri(hook) : null,
            values.GetValueOrDefault("--webhook-secret-file"));
        var known = new HashSet<string> { "--url", "--key", "--rate", "--duration", "--orders", "--triangles", "--first-variant", "--target", "--settle-timeout", "--label", "--out",
            "--shop-orders", "--shop-out", "--webhook-url", "--webhook-secret-file" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"Unknown option '{unknown}'.");
        }

        return options;
    }

    public int TotalOrders => Orders ?? (int)Math.Ceiling(Rate * Duration.TotalSeconds);
}
