using PrintFlow.ServiceDefaults;

namespace PrintFlow.Mes.Domain;

/// <summary>An operator or supervisor of the factory floor.</summary>
public sealed class MesAccount
{
    private MesAccount() { }

    public MesAccount(Guid id, string email, string name, string role, string passwordHash)
    {
        if (role is not (Roles.Operator or Roles.Supervisor))
        {
            throw new ArgumentException($"MES accounts are operators or supervisors, not '{role}'.", nameof(role));
        }

        Id = id;
        Email = email.Trim().ToLowerInvariant();
        Name = name;
        Role = role;
        PasswordHash = passwordHash;
    }

    public Guid Id { get; private set; }
    public string Email { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";

    /// <summary>
    /// Bumped whenever this person is given a job. It is a concurrency token: two takes by the same person race on
    /// this row, so the work-in-progress count each of them checked cannot both be stale.
    /// </summary>
    public int LoadVersion { get; private set; }

    public Actor AsActor() => new(Id, Name, Role == Roles.Supervisor);

    internal void ReserveSlot() => LoadVersion++;
}
