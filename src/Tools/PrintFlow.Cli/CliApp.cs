using PrintFlow.Pricing.Core;

namespace PrintFlow.Cli;

internal static class CliApp
{
    public const int Quoted = 0;
    public const int NotPrintable = 1;
    public const int Error = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var json = QuoteArguments.WantsJson(args);
        try
        {
            using var cancel = new CancellationTokenSource();
            if (args.Length > 0 && args[0] == "dlq")
            {
                Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
                return await DlqCommand.RunAsync(args, stdout, cancel.Token);
            }

            var parsed = QuoteArguments.Parse(args);
            // Only exact mode runs long enough (a slicer process) to be worth cancelling; registering the handler
            // starts the runtime's signal handling, which an instant quote does not need.
            if (parsed.Exact) Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
            var report = await QuoteCommand.RunAsync(parsed, PricingOptions.Default, SlicerOptionsFromEnvironment(), cancel.Token);
            if (json) JsonOutput.WriteReport(stdout, report);
            else TextOutput.WriteReport(stdout, report);
            return report.Quote is null ? NotPrintable : Quoted;
        }
        catch (HelpRequested help)
        {
            stdout.WriteLine(help.Usage ?? QuoteArguments.Usage);
            return Quoted;
        }
        catch (CliError e)
        {
            return Fail(stdout, stderr, json, e.Code, e.Message);
        }
        catch (OperationCanceledException)
        {
            return Fail(stdout, stderr, json, "cli.cancelled", "Cancelled.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(stdout, stderr, json, "file.unreadable", $"The file could not be read: {e.Message}");
        }
        catch (Exception e)
        {
            // Last resort: the user still gets a code and a sentence, never a stack trace.
            return Fail(stdout, stderr, json, "cli.internal-error", $"Unexpected error ({e.GetType().Name}): {e.Message}");
        }
    }

    private static int Fail(TextWriter stdout, TextWriter stderr, bool json, string code, string message)
    {
        if (json) JsonOutput.WriteError(stdout, code, message);
        else stderr.WriteLine($"printflow: {message} [{code}]");
        return Error;
    }

    // The service configures these from appsettings; the CLI takes them from the environment.
    private static ExactSlicerOptions SlicerOptionsFromEnvironment()
    {
        var options = new ExactSlicerOptions();
        if (Environment.GetEnvironmentVariable("PRINTFLOW_PRUSA_SLICER") is { Length: > 0 } path) options.ExecutablePath = path;
        if (Environment.GetEnvironmentVariable("PRINTFLOW_SLICER_PROFILE") is { Length: > 0 } profile) options.ProfilePath = profile;
        if (int.TryParse(Environment.GetEnvironmentVariable("PRINTFLOW_SLICER_TIMEOUT_S"), out var seconds) && seconds > 0)
            options.Timeout = TimeSpan.FromSeconds(seconds);
        if (int.TryParse(Environment.GetEnvironmentVariable("PRINTFLOW_SLICER_MEMORY_MIB"), out var mib)) options.MemoryLimitMiB = mib;
        return options;
    }
}
