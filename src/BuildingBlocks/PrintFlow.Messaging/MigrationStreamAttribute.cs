namespace PrintFlow.Messaging;

/// <summary>
/// Marks an entity that a building block maps into the databases of the services using it: its table comes from that
/// block's own migration stream (<c>migrations/{Key}/{provider}/NNNN_name.sql</c> embedded in the entity's assembly),
/// applied before the service's own scripts, so no service carries a copy (docs/decisions/0019-migration-streams.md).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MigrationStreamAttribute(string key) : Attribute
{
    /// <summary>The stream of the outbox and inbox, applied before every other stream.</summary>
    public const string Messaging = "messaging";

    public string Key { get; } = key;
}
