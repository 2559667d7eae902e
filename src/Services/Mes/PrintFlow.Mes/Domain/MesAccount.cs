using PrintFlow.Accounts;


namespace PrintFlow.Mes.Domain;

/// <summary>An operator or supervisor of the factory floor.</summary>
public sealed class MesAccount
{
    private MesAccount() { }

    public MesAccount(Guid id, string email, string name, string role, string passwordHash, IEnumerable<string>? skills = null)
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
        SetSkills(skills ?? Materials.All);
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

    /// <summary>
    /// The materials this person can run, comma-separated in <see cref="Materials.All"/> order (a handful of values
    /// read with the account, so a column rather than a table).
    /// </summary>
    public string Skills { get; private set; } = "";

    public IReadOnlyList<string> SkillList => Skills.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool CanRun(string material) => SkillList.Contains(material, StringComparer.Ordinal);

    /// <summary>Replaces the materials this person runs; an unknown material is refused, an empty set is allowed.</summary>
    public void SetSkills(IEnumerable<string> materials)
    {
        ArgumentNullException.ThrowIfNull(materials);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var material in materials)
        {
            known.Add(Materials.Normalize(material)
                ?? throw new JobRuleException("account.unknown-material", $"The floor does not print '{material}'."));
        }

        Skills = string.Join(',', Materials.All.Where(known.Contains));
    }

    public Actor AsActor() => new(Id, Name, Role == Roles.Supervisor);

    internal void ReserveSlot() => LoadVersion++;
}
