using PrintFlow.Geometry;

namespace PrintFlow.Cli;

/// <summary>The parsed command line of <c>printflow quote</c>.</summary>
internal sealed record QuoteArguments(string File, string Material, int Quantity, LengthUnit? Units, string LeadTime, bool Exact, bool Json, int Threads)
{
    /// <summary>The Pricing service's default (Pricing:AnalysisTimeout), so a file the service refuses is refused here too.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The longest the analysis may take before the model is refused as too complex.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    public const string Usage = """
        Usage: printflow quote FILE [--material PLA] [--quantity N] [--units mm|cm|m|in]
                                    [--lead-time standard|express] [--exact] [--threads N] [--timeout S] [--json]

        Analyses a 3D model (STL, OBJ, 3MF) and prices it with the built-in price list.
          --exact   slice with PrusaSlicer (seconds) instead of the geometric estimate (milliseconds)
          --threads cores the analysis may use (default 2, or 1 on a one-core machine); results do not depend on it
          --timeout seconds the analysis may take (default 30, as the Pricing service); past it the model is refused
                    as too complex (model.too-complex, exit 2)
          --json    one JSON object on stdout (snake_case)
        Exit codes: 0 quoted, 1 analysed but cannot be printed, 2 error.

        printflow dlq list|show|replay   dead-lettered messages on RabbitMQ (printflow dlq --help)
        """;

    /// <summary>True when only --json was understood so far: errors are still printed as JSON.</summary>
    public static bool WantsJson(string[] args) => args.Contains("--json");

    public static QuoteArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help") throw new HelpRequested();
        if (args[0] != "quote") throw CliError.Usage($"Unknown command '{args[0]}'; the commands are 'quote' and 'dlq'.");

        string? file = null, material = "PLA", leadTime = "Standard";
        // Two by default, faster for a large model on idle cores (docs/pricing-calibration.md); small ones stay on one.
        int quantity = 1, threads = Math.Min(2, Environment.ProcessorCount);
        LengthUnit? units = null;
        bool exact = false, json = false;
        var timeout = DefaultTimeout;
        for (var i = 1; i < args.Length; i++)
        {
            var a = args[i];
            switch (a)
            {
                case "-h" or "--help": throw new HelpRequested();
                case "--json": json = true; break;
                case "--exact": exact = true; break;
                case "--material": material = Value(args, ref i); break;
                case "--lead-time": leadTime = LeadTimeName(Value(args, ref i)); break;
                case "--units": units = Unit(Value(args, ref i)); break;
                case "--quantity":
                    var q = Value(args, ref i);
                    if (!int.TryParse(q, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out quantity) || quantity < 1)
                        throw CliError.Usage($"--quantity must be a whole number of at least 1, not '{q}'.");
                    break;
                case "--threads":
                    var t = Value(args, ref i);
                    if (!int.TryParse(t, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out threads) || threads is < 1 or > 64)
                        throw CliError.Usage($"--threads must be a whole number from 1 to 64, not '{t}'.");
                    break;
                case "--timeout":
                    var limit = Value(args, ref i);
                    if (!double.TryParse(limit, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                        || seconds is <= 0 or > 3600)
                        throw CliError.Usage($"--timeout must be a number of seconds above 0 and at most 3600, not '{limit}'.");
                    timeout = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    if (a.StartsWith('-') && a.Length > 1) throw CliError.Usage($"Unknown option '{a}'.");
                    if (file is not null) throw CliError.Usage($"Only one model file can be quoted at a time ('{file}' and '{a}').");
                    file = a;
                    break;
            }
        }
        if (file is null) throw CliError.Usage("Name the model file to quote, e.g. printflow quote part.stl.");
        return new QuoteArguments(file, material, quantity, units, leadTime, exact, json, threads) { Timeout = timeout };
    }

    private static string Value(string[] args, ref int i)
    {
        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            throw CliError.Usage($"{args[i]} needs a value.");
        return args[++i];
    }

    private static LengthUnit Unit(string value) => value.ToLowerInvariant() switch
    {
        "mm" => LengthUnit.Millimetre,
        "cm" => LengthUnit.Centimetre,
        "m" => LengthUnit.Metre,
        "in" or "inch" => LengthUnit.Inch,
        _ => throw CliError.Usage($"--units must be mm, cm, m or in, not '{value}'."),
    };

    private static string LeadTimeName(string value) => value.ToLowerInvariant() switch
    {
        "standard" => "Standard",
        "express" => "Express",
        _ => throw CliError.Usage($"--lead-time must be standard or express, not '{value}'."),
    };
}

internal sealed class HelpRequested(string? usage = null) : Exception
{
    public string? Usage { get; } = usage;
}
