using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Endpoints;

namespace PrintFlow.Mes.Queries;

public sealed record QueueRow(
    long Id,
    Guid JobId,
    string OrderNumber,
    string CustomerName,
    SalesChannel Channel,
    LeadTime LeadTime,
    int Priority,
    int QueueRank,
    OrderStatus Stage,
    DateTimeOffset? DueDate,
    DateTimeOffset DueBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset StageChangedAt,
    Guid? AssignedToId,
    string? AssignedToName,
    IReadOnlyList<string> Materials,
    int Quantity);

/// <summary>One of the newest jobs on the floor, for the dashboard's "new job" notification.</summary>
public sealed record Arrival(long Id, Guid JobId, string OrderNumber, LeadTime LeadTime, OrderStatus Stage, IReadOnlyList<string> Materials)
{
    public string Label => $"New job {OrderNumber} ({(LeadTime == LeadTime.Express ? "Express" : "Standard")}, {string.Join(", ", Materials)})";
}

public sealed record QueuePage(
    IReadOnlyList<QueueRow> Rows, QueueCursor? Next, IReadOnlyDictionary<OrderStatus, long> Counts, IReadOnlyList<Arrival> Arrivals)
{
    public static readonly QueuePage Empty = new([], null, new Dictionary<OrderStatus, long>(), []);
}

/// <summary>
/// The work queue: waiting jobs by priority, due date and age, then jobs in progress, one keyset page at a time
/// over the (rank, priority, due, created, id) index. No OFFSET and no COUNT over the jobs.
/// </summary>
public sealed class QueueQuery(MesDbContext db, IOptions<MesOptions> options, ServerTimings timings)
{
    public const int ArrivalsShown = 5;

    public async Task<QueuePage> PageAsync(QueueFilter filter, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var size = options.Value.PageSize;
        var jobs = db.Jobs.AsNoTracking();
        var orderNumber = QueueFilter.AsOrderNumber(filter.Search);
        if (filter.Stage is { } stage)
        {
            jobs = jobs.Where(j => j.Stage == stage);
        }
        else if (orderNumber is null)
        {
            jobs = jobs.Where(j => j.QueueRank <= QueueRanks.InProgress);
        }

        if (filter.Material is { } material)
        {
            jobs = jobs.Where(j => j.Items.Any(i => i.Material == material));
        }

        if (filter.Channel is { } channel)
        {
            jobs = jobs.Where(j => j.Channel == channel);
        }

        if (filter.Priority is { } leadTime)
        {
            var priority = Priorities.Of(leadTime);
            jobs = jobs.Where(j => j.Priority == priority);
        }

        if (orderNumber is not null)
        {
            // A whole order number finds its job in any stage (a delivered one too) through the OrderNumber index.
            jobs = jobs.Where(j => j.OrderNumber == orderNumber);
        }
        else if (filter.Search is { } search)
        {
            var pattern = "%" + search.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            jobs = jobs.Where(j => EF.Functions.Like(j.OrderNumber, pattern, "\\") || EF.Functions.Like(j.CustomerName, pattern, "\\"));
        }

        if (filter.After is { } c)
        {
            var due = new DateTimeOffset(c.DueTicks, TimeSpan.Zero);
            var created = new DateTimeOffset(c.CreatedTicks, TimeSpan.Zero);
            jobs = jobs.Where(j =>
                j.QueueRank > c.Rank
                || (j.QueueRank == c.Rank && (j.Priority > c.Priority
                || (j.Priority == c.Priority && (j.DueBy > due
                || (j.DueBy == due && (j.CreatedAt > created
                || (j.CreatedAt == created && j.Id > c.Id))))))));
        }

        var rows = await jobs
            .OrderBy(j => j.QueueRank).ThenBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .Take(size + 1)
            .Select(j => new QueueRow(
                j.Id, j.JobId, j.OrderNumber, j.CustomerName, j.Channel, j.LeadTime, j.Priority, j.QueueRank, j.Stage,
                j.DueDate, j.DueBy, j.CreatedAt, j.StageChangedAt, j.AssignedToId, j.AssignedToName, Array.Empty<string>(), 0))
            .ToListAsync(cancellationToken);

        var next = rows.Count > size ? QueueCursor.Of(rows[size - 1]) : null;
        if (rows.Count > size)
        {
            rows.RemoveAt(size);
        }

        // The newest jobs by id (a short backward walk of the primary key): the page tells of ones it has not seen yet.
        var arrivals = await db.Jobs.AsNoTracking()
            .OrderByDescending(j => j.Id)
            .Take(ArrivalsShown)
            .Select(j => new Arrival(j.Id, j.JobId, j.OrderNumber, j.LeadTime, j.Stage, Array.Empty<string>()))
            .ToListAsync(cancellationToken);

        // The items of the page and of the arrivals in one query by job id (SQLite has no APPLY for a per-row sub-collection).
        var ids = rows.Select(r => r.Id).Concat(arrivals.Select(a => a.Id)).Distinct().ToList();
        var items = (await db.Set<JobItem>().AsNoTracking()
                .Where(i => ids.Contains(i.JobId))
                .Select(i => new { i.JobId, i.Material, i.Quantity })
                .ToListAsync(cancellationToken))
            .ToLookup(i => i.JobId);
        rows = rows.Select(r => r with
        {
            Materials = items[r.Id].Select(i => i.Material).Distinct().ToList(),
            Quantity = items[r.Id].Sum(i => i.Quantity),
        }).ToList();
        arrivals = arrivals.Select(a => a with { Materials = items[a.Id].Select(i => i.Material).Distinct().ToList() }).ToList();

        var counts = await CountsAsync(cancellationToken);
        timings.Record("db", started);
        return new QueuePage(rows, next, counts, arrivals);
    }

    public async Task<IReadOnlyDictionary<OrderStatus, long>> CountsAsync(CancellationToken cancellationToken) =>
        await db.StageCounts.AsNoTracking().ToDictionaryAsync(c => c.Stage, c => c.Count, cancellationToken);
}
