namespace PrintFlow.Mes.Domain;

/// <summary>Who does something on the floor: the signed-in operator or supervisor.</summary>
public sealed record Actor(Guid Id, string Name, bool IsSupervisor)
{
    /// <summary>The factory itself (for example a job created from a message).</summary>
    public static readonly Actor System = new(Guid.Empty, "PrintFlow", IsSupervisor: true);
}
