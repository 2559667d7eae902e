using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Shipping;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Work;

/// <summary>What came of a request on the floor: a sentence for the person, and the job it concerned.</summary>
public sealed record WorkOutcome(bool Succeeded, string Message, string Code, Guid? JobId = null)
{
    public static WorkOutcome Done(string message, Guid jobId) => new(true, message, "ok", jobId);
    public static WorkOutcome Refused(string code, string message, Guid? jobId = null) => new(false, message, code, jobId);
}

/// <summary>
/// The operators' commands: load, call the job's method, publish what it returns and save once. Conflicts are
/// optimistic: the job's and the person's concurrency tokens make a racing second writer fail, and the command is
/// re-read and re-decided, so a job is taken once and nobody exceeds the work-in-progress limit.
/// </summary>
public sealed class FloorWork(
    MesDbContext db, LiveFeed feed, TimeProvider clock, IOptions<MesOptions> options, CarrierBook carriers, ILogger<FloorWork> logger)
{
    private const int MaxAttempts = 50;
    private readonly int _wipLimit = options.Value.WipLimit;

    public async Task<WorkOutcome> TakeNextAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var lost = new HashSet<long>();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var account = await FindAccountAsync(accountId, cancellationToken);
            var inProgress = await CountInProgressAsync(accountId, cancellationToken);
            if (inProgress >= _wipLimit)
            {
                return WorkOutcome.Refused("job.wip-limit",
                    Texts.Get<MesStrings>("Work.WipLimit", inProgress, _wipLimit));
            }

            // The most urgent waiting job this person can run, in queue order; jobs lost to another taker in this
            // call are skipped.
            var skills = account.SkillList.ToList();
            var job = await db.Jobs
                .Include(j => j.Items)
                .Where(j => j.Stage == OrderStatus.ManufacturingApproved && j.QueueRank == QueueRanks.Waiting && !lost.Contains(j.Id))
                .Where(j => j.Items.All(i => skills.Contains(i.Material)))
                .OrderBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (job is null)
            {
                return await NothingToTakeAsync(account, lost, cancellationToken);
            }

            try
            {
                job.Take(account, inProgress, _wipLimit, clock.GetUtcNow());
                db.AfterCommit(() => feed.Notify(MesTopics.Queue));
                await db.SaveChangesAsync(cancellationToken);
                return WorkOutcome.Done(Texts.Get<MesStrings>("Work.Took", job.OrderNumber), job.JobId);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone took this job, or this person took another one, at the same moment: look again.
                lost.Add(job.Id);
            }
        }

        logger.LogWarning("Take-next for {AccountId} gave up after {Attempts} conflicts", accountId, MaxAttempts);
        return WorkOutcome.Refused("queue.busy", Texts.Get<MesStrings>("Work.QueueBusy"));
    }

    public async Task<WorkOutcome> TakeAsync(Guid jobId, Guid accountId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var job = await FindJobAsync(jobId, cancellationToken);
            if (job is null)
            {
                return NotFound(jobId);
            }

            var account = await FindAccountAsync(accountId, cancellationToken);
            var inProgress = await CountInProgressAsync(accountId, cancellationToken);
            try
            {
                job.Take(account, inProgress, _wipLimit, clock.GetUtcNow());
                db.AfterCommit(() => feed.Notify(MesTopics.Queue));
                await db.SaveChangesAsync(cancellationToken);
                return WorkOutcome.Done(Texts.Get<MesStrings>("Work.Took", job.OrderNumber), job.JobId);
            }
            catch (JobRuleException refusal)
            {
                return WorkOutcome.Refused(refusal.Code, refusal.Message, job.JobId);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Re-read: the job's own rule then says who took it, or the limit says no.
            }
        }
    }

    /// <param name="shipping">What the "Ship" form said: the carrier's code and the tracking number.</param>
    public async Task<WorkOutcome> ApplyAsync(
        Guid jobId, JobAction action, Guid accountId, string? reason, ShippingForm? shipping, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var job = await FindJobAsync(jobId, cancellationToken);
        if (job is null)
        {
            return NotFound(jobId);
        }

        var actor = (await FindAccountAsync(accountId, cancellationToken)).AsActor();
        try
        {
            var now = clock.GetUtcNow();
            var shipment = action == JobAction.Ship && job.Stage == OrderStatus.Packed
                ? carriers.ShipmentFor(shipping?.Carrier, shipping?.TrackingNumber, now)
                : null;
            var progressed = action.Apply(job, actor, reason, now, shipment);
            db.Publish(progressed, clock);
            db.AfterCommit(() => feed.Notify(MesTopics.Queue));
            await db.SaveChangesAsync(cancellationToken);
            return WorkOutcome.Done(Texts.Get<MesStrings>("Work.Moved", job.OrderNumber, OrderStatusWords.ForOperator(progressed.Stage)), job.JobId);
        }
        catch (JobRuleException refusal)
        {
            return WorkOutcome.Refused(refusal.Code, refusal.Message, job.JobId);
        }
        catch (DbUpdateConcurrencyException)
        {
            return WorkOutcome.Refused("job.changed", Texts.Get<MesStrings>("Work.Changed", job.OrderNumber), job.JobId);
        }
    }

    public async Task<WorkOutcome> ReassignAsync(Guid jobId, Guid toAccountId, Guid supervisorId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var job = await FindJobAsync(jobId, cancellationToken);
            if (job is null)
            {
                return NotFound(jobId);
            }

            var supervisor = (await FindAccountAsync(supervisorId, cancellationToken)).AsActor();
            var to = await db.Accounts.FirstOrDefaultAsync(a => a.Id == toAccountId, cancellationToken);
            if (to is null)
            {
                return WorkOutcome.Refused("account.not-found", Texts.Get<MesStrings>("Work.NotAnOperator"), job.JobId);
            }

            var inProgress = await CountInProgressAsync(toAccountId, cancellationToken);
            try
            {
                job.Reassign(to, inProgress, _wipLimit, supervisor, clock.GetUtcNow());
                db.AfterCommit(() => feed.Notify(MesTopics.Queue));
                await db.SaveChangesAsync(cancellationToken);
                return WorkOutcome.Done(Texts.Get<MesStrings>("Work.Reassigned", job.OrderNumber, to.Name), job.JobId);
            }
            catch (JobRuleException refusal)
            {
                return WorkOutcome.Refused(refusal.Code, refusal.Message, job.JobId);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // Re-read and decide again.
            }
        }
    }

    /// <summary>A supervisor sets the materials a person runs (what take-next offers them).</summary>
    public async Task<WorkOutcome> SetSkillsAsync(Guid accountId, IEnumerable<string> materials, Guid supervisorId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var supervisor = await FindAccountAsync(supervisorId, cancellationToken);
        if (!supervisor.AsActor().IsSupervisor)
        {
            return WorkOutcome.Refused("account.skills-forbidden", Texts.Get<MesStrings>("Work.SkillsForbidden"));
        }

        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        if (account is null)
        {
            return WorkOutcome.Refused("account.not-found", Texts.Get<MesStrings>("Work.NotAnOperator"));
        }

        try
        {
            account.SetSkills(materials);
            await db.SaveChangesAsync(cancellationToken);
            return new WorkOutcome(true, $"{account.Name} now runs {ManufacturingJob.SkillsOf(account)}.", "ok");
        }
        catch (JobRuleException refusal)
        {
            return WorkOutcome.Refused(refusal.Code, refusal.Message);
        }
    }

    /// <summary>Why take-next found nothing: the queue is empty, or what waits needs materials this person does not run.</summary>
    private async Task<WorkOutcome> NothingToTakeAsync(MesAccount account, HashSet<long> lost, CancellationToken cancellationToken)
    {
        var others = await db.Jobs.AsNoTracking()
            .Where(j => j.Stage == OrderStatus.ManufacturingApproved && j.QueueRank == QueueRanks.Waiting && !lost.Contains(j.Id))
            .OrderBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .Take(50)
            .SelectMany(j => j.Items.Select(i => i.Material))
            .Distinct()
            .ToListAsync(cancellationToken);
        if (others.Count == 0)
        {
            return WorkOutcome.Refused("queue.empty", Texts.Get<MesStrings>("Work.QueueEmpty"));
        }

        var needed = Materials.All.Where(others.Contains).Concat(others.Where(m => !Materials.All.Contains(m))).ToList();
        return WorkOutcome.Refused("queue.no-match",
            Texts.Get<MesStrings>("Work.NoMatch", string.Join(", ", needed), ManufacturingJob.SkillsOf(account)));
    }

    /// <summary>The carrier confirmed delivery of a parcel (its callback): records the event once and moves the job to Delivered.</summary>
    /// <returns>The job's order number and stage, or null when no shipped job has this carrier and tracking number.</returns>
    public async Task<(string OrderNumber, OrderStatus Stage, bool Repeated)?> CarrierEventAsync(
        Carrier carrier, string trackingNumber, string eventId, string status, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var job = await db.Jobs.FirstOrDefaultAsync(j => j.Carrier == carrier.Code && j.TrackingNumber == trackingNumber, cancellationToken);
        if (job is null)
        {
            return null;
        }

        if (await db.CarrierEvents.AnyAsync(e => e.Carrier == carrier.Code && e.TrackingNumber == trackingNumber && e.EventId == eventId, cancellationToken))
        {
            return (job.OrderNumber, job.Stage, true);
        }

        var now = clock.GetUtcNow();
        db.CarrierEvents.Add(new CarrierEvent(carrier.Code, trackingNumber, eventId, status, job.JobId, now));
        if (status == CarrierStatuses.Delivered && job.Stage == OrderStatus.Shipped)
        {
            db.Publish(job.MarkDelivered(new Actor(Guid.Empty, carrier.NameEn, IsSupervisor: false), now), clock);
            db.AfterCommit(() => feed.Notify(MesTopics.Queue));
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (job.OrderNumber, job.Stage, false);
        }
        catch (DbUpdateException)
        {
            // The same event raced in twice (or an operator marked it delivered at the same moment): the other one won.
            db.ChangeTracker.Clear();
            var current = await db.Jobs.AsNoTracking().FirstAsync(j => j.JobId == job.JobId, cancellationToken);
            return (current.OrderNumber, current.Stage, true);
        }
    }

    private Task<ManufacturingJob?> FindJobAsync(Guid jobId, CancellationToken cancellationToken) =>
        db.Jobs.Include(j => j.Items).FirstOrDefaultAsync(j => j.JobId == jobId, cancellationToken);

    private async Task<MesAccount> FindAccountAsync(Guid accountId, CancellationToken cancellationToken) =>
        await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
        ?? throw new JobRuleException("account.not-found", Texts.Get<MesStrings>("Work.NotOperatorAccount"));

    private Task<int> CountInProgressAsync(Guid accountId, CancellationToken cancellationToken) =>
        db.Jobs.CountAsync(j => j.AssignedToId == accountId && JobStages.WorkInProgress.Contains(j.Stage), cancellationToken);

    private static WorkOutcome NotFound(Guid jobId) =>
        WorkOutcome.Refused("job.not-found", Texts.Get<MesStrings>("Work.JobNotFound"), jobId);
}
