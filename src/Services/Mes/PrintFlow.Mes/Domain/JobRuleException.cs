namespace PrintFlow.Mes.Domain;

/// <summary>
/// A job refused a move. <see cref="Exception.Message"/> is a sentence for the person who asked;
/// <see cref="Code"/> is for machines (problem details, tests).
/// </summary>
public sealed class JobRuleException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
