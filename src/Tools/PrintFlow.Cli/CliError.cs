namespace PrintFlow.Cli;

/// <summary>An error the user can act on: a stable code and a sentence, never a stack trace.</summary>
internal sealed class CliError(string code, string message) : Exception(message)
{
    public string Code { get; } = code;

    public static CliError Usage(string message) => new("cli.bad-arguments", message);
}
