using Microsoft.EntityFrameworkCore;
using PrintFlow.Accounts;
using PrintFlow.Contracts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;

namespace PrintFlow.Mes.Queries;

public sealed record StageAverage(OrderStatus Stage, TimeSpan Average, int Steps);

public sealed record PersonStats(
    Guid AccountId, string Name, string Role, int JobsInProgress, int JobsDoneToday, int StepsToday, IReadOnlyList<StageAverage> Averages);

public sealed record AssignableJob(Guid JobId, string OrderNumber, OrderStatus Stage, string? AssignedToName);

public sealed record Person(Guid Id, string Name, string Role);

public sealed record PersonSkills(Guid Id, string Name, string Role, IReadOnlyList<string> Skills);

/// <summary>
/// People's throughput: jobs done (packed after a passed quality check) today, and the average time each kind of
/// step took (from the job's previous step to this one) over the last <see cref="Window"/>.
/// </summary>
public sealed class StatsQuery(MesDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<PersonStats>> ForAsync(Guid? onlyAccount, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var since = now - Window;

        var accounts = await db.Accounts.AsNoTracking()
            .Where(a => onlyAccount == null || a.Id == onlyAccount)
            .OrderBy(a => a.Name)
            .Select(a => new Person(a.Id, a.Name, a.Role))
            .ToListAsync(cancellationToken);
        var ids = accounts.Select(a => a.Id).ToList();

        var recent = await db.Steps.AsNoTracking()
            .Where(s => s.At >= since && s.Kind == StepKind.Stage && ids.Contains(s.ById))
            .Select(s => new { s.JobId, s.Id, s.ById, s.Stage, s.At })
            .ToListAsync(cancellationToken);
        var jobIds = recent.Select(s => s.JobId).Distinct().ToList();
        var timelines = (await db.Steps.AsNoTracking()
                .Where(s => jobIds.Contains(s.JobId))
                .Select(s => new { s.JobId, s.Id, s.At })
                .ToListAsync(cancellationToken))
            .GroupBy(s => s.JobId)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Id).ToList());

        var inProgress = await db.Jobs.AsNoTracking()
            .Where(j => j.AssignedToId != null && ids.Contains(j.AssignedToId.Value) && JobStages.WorkInProgress.Contains(j.Stage))
            .GroupBy(j => j.AssignedToId)
            .Select(g => new { Id = g.Key!.Value, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, cancellationToken);

        return accounts.Select(person =>
        {
            var mine = recent.Where(s => s.ById == person.Id).ToList();
            var averages = mine
                .Select(s =>
                {
                    var timeline = timelines[s.JobId];
                    var previous = timeline.LastOrDefault(p => p.Id < s.Id);
                    return (s.Stage, Took: previous is null ? (TimeSpan?)null : s.At - previous.At);
                })
                .Where(x => x.Took is not null)
                .GroupBy(x => x.Stage)
                .OrderBy(g => Array.IndexOf(JobStages.All, g.Key))
                .Select(g => new StageAverage(g.Key, TimeSpan.FromTicks((long)g.Average(x => x.Took!.Value.Ticks)), g.Count()))
                .ToList();
            return new PersonStats(
                person.Id, person.Name, person.Role,
                inProgress.GetValueOrDefault(person.Id),
                mine.Where(s => s.At >= today && s.Stage == OrderStatus.Packed).Select(s => s.JobId).Distinct().Count(),
                mine.Count(s => s.At >= today),
                averages);
        }).ToList();
    }

    public async Task<IReadOnlyList<Person>> PeopleAsync(CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().OrderBy(a => a.Name).Select(a => new Person(a.Id, a.Name, a.Role)).ToListAsync(cancellationToken);

    public async Task<IReadOnlyList<PersonSkills>> SkillsAsync(CancellationToken cancellationToken) =>
        (await db.Accounts.AsNoTracking().OrderBy(a => a.Name).ToListAsync(cancellationToken))
        .Select(a => new PersonSkills(a.Id, a.Name, a.Role, a.SkillList))
        .ToList();

    public async Task<IReadOnlyList<string>> SkillsOfAsync(Guid accountId, CancellationToken cancellationToken) =>
        (await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Skills).FirstOrDefaultAsync(cancellationToken) ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Jobs a supervisor may hand to someone else: taken or on their way, not finished.</summary>
    public async Task<IReadOnlyList<AssignableJob>> OpenJobsAsync(int limit, CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking()
            .Where(j => j.QueueRank <= QueueRanks.InProgress)
            .OrderBy(j => j.QueueRank).ThenBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .Take(limit)
            .Select(j => new AssignableJob(j.JobId, j.OrderNumber, j.Stage, j.AssignedToName))
            .ToListAsync(cancellationToken);

    public static bool IsSupervisor(string role) => role == Roles.Supervisor;
}
