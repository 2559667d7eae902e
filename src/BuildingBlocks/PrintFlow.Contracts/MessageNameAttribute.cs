namespace PrintFlow.Contracts;

/// <summary>
/// The stable routing name of an integration event. Messages are routed by this name, never by CLR type
/// name, so a class can be renamed or moved without breaking consumers or queued messages.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MessageNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
