using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.FeatureManagement;
using PrintFlow.Contracts;
using PrintFlow.LiveUpdates;
using PrintFlow.Mes.Data;
using PrintFlow.Mes.Domain;
using PrintFlow.Mes.Work;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Printers;

/// <summary>
/// The farm's commands: supervisors keep the list of printers, operators put the most urgent fitting job on a printer
/// and MES sends it over the printer's connection. Like <see cref="FloorWork"/>, each command loads, calls domain
/// methods and saves once; concurrency tokens on the job, the person and the printer make a racing second writer fail.
/// </summary>
public sealed class FarmWork(
    MesDbContext db, LiveFeed feed, TimeProvider clock, IOptionsMonitor<FarmOptions> farm, IOptions<MesOptions> mes,
    PrinterUrlPolicy urls, PrinterKeys keys, IPrinterConnection connection, PrintSlicer slicer, IFeatureManager features,
    FarmMetrics metrics, ILogger<FarmWork> logger)
{
    private const int MaxAttempts = 20;
    private const int CandidatePage = 100;

    public async Task<WorkOutcome> AddAsync(PrinterForm form, Guid supervisorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await RequireSupervisorAsync(supervisorId, cancellationToken) is { } refused)
        {
            return refused;
        }

        var (spec, specRefusal) = form.ToSpec();
        if (spec is null)
        {
            return WorkOutcome.Refused("printer.invalid", specRefusal!);
        }

        if (string.IsNullOrWhiteSpace(form.ApiKey) || form.ApiKey.Trim().Length > PrinterKeys.MaxKeyLength)
        {
            return WorkOutcome.Refused("printer.api-key", Texts.Get<MesStrings>("Printer.ApiKeyMissing", PrinterKeys.MaxKeyLength));
        }

        var (url, code, urlRefusal) = await urls.CheckAsync(form.BaseUrl, cancellationToken);
        if (url is null)
        {
            return WorkOutcome.Refused(code!, urlRefusal!);
        }

        try
        {
            var apiKey = form.ApiKey.Trim();
            var printer = Printer.Add(spec, url, keys.Protect(apiKey), PrinterKeys.HintOf(apiKey), clock.GetUtcNow());
            if (await db.Printers.AnyAsync(p => p.Name == printer.Name, cancellationToken))
            {
                return WorkOutcome.Refused("printer.name-taken", $"A printer named {printer.Name} already exists.");
            }

            db.Printers.Add(printer);
            await RecheckWaitingJobsAsync(extra: printer, cancellationToken);
            db.AfterCommit(() => feed.Notify(MesTopics.Floor));
            await db.SaveChangesAsync(cancellationToken);
            return new WorkOutcome(true, $"{printer.Name} was added; it shows as offline until it answers.", "ok", printer.PrinterId);
        }
        catch (JobRuleException refusal)
        {
            return WorkOutcome.Refused(refusal.Code, refusal.Message);
        }
        catch (DbUpdateException)
        {
            return WorkOutcome.Refused("printer.name-taken", "A printer with that name was added at the same moment.");
        }
    }

    /// <summary>Changes a printer's description and connection; a blank API key keeps the stored one.</summary>
    public async Task<WorkOutcome> EditAsync(Guid printerId, PrinterForm form, Guid supervisorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (await RequireSupervisorAsync(supervisorId, cancellationToken) is { } refused)
        {
            return refused;
        }

        var (spec, specRefusal) = form.ToSpec();
        if (spec is null)
        {
            return WorkOutcome.Refused("printer.invalid", specRefusal!);
        }

        var (url, code, urlRefusal) = await urls.CheckAsync(form.BaseUrl, cancellationToken);
        if (url is null)
        {
            return WorkOutcome.Refused(code!, urlRefusal!);
        }

        if (form.ApiKey is { Length: > 0 } key && key.Trim().Length > PrinterKeys.MaxKeyLength)
        {
            return WorkOutcome.Refused("printer.api-key", Texts.Get<MesStrings>("Printer.ApiKeyTooLong", PrinterKeys.MaxKeyLength));
        }

        return await ChangePrinterAsync(printerId, printer =>
        {
            printer.Describe(spec);
            var apiKey = string.IsNullOrWhiteSpace(form.ApiKey) ? null : form.ApiKey.Trim();
            printer.Connect(url, apiKey is null ? printer.ApiKeyProtected : keys.Protect(apiKey), apiKey is null ? printer.ApiKeyHint : PrinterKeys.HintOf(apiKey));
            return $"{printer.Name} was saved.";
        }, cancellationToken);
    }

    public async Task<WorkOutcome> MaintenanceAsync(Guid printerId, bool start, Guid supervisorId, CancellationToken cancellationToken)
    {
        if (await RequireSupervisorAsync(supervisorId, cancellationToken) is { } refused)
        {
            return refused;
        }

        return await ChangePrinterAsync(printerId, printer =>
        {
            if (start)
            {
                printer.StartMaintenance(clock.GetUtcNow());
                return $"{printer.Name} is in maintenance; it gets no work until it is back.";
            }

            printer.EndMaintenance(clock.GetUtcNow());
            return $"{printer.Name} is back from maintenance.";
        }, cancellationToken);
    }

    public async Task<WorkOutcome> RetireAsync(Guid printerId, Guid supervisorId, CancellationToken cancellationToken)
    {
        if (await RequireSupervisorAsync(supervisorId, cancellationToken) is { } refused)
        {
            return refused;
        }

        return await ChangePrinterAsync(printerId, printer =>
        {
            printer.Retire(clock.GetUtcNow());
            return $"{printer.Name} is retired.";
        }, cancellationToken);
    }

    /// <summary>
    /// Puts the most urgent job that fits <paramref name="printerId"/> (technology, build volume, loaded material and
    /// colour) on it and sends the print: the person's own jobs waiting for a printer first, then the queue in its order
    /// (Express, due date, age).
    /// </summary>
    public async Task<WorkOutcome> TakeNextOnPrinterAsync(Guid printerId, Guid accountId, CancellationToken cancellationToken)
    {
        var margin = farm.CurrentValue.FitMarginMm;
        var wipLimit = mes.Value.WipLimit;
        var lost = new HashSet<long>();
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            db.ChangeTracker.Clear();
            var printer = await db.Printers.FirstOrDefaultAsync(p => p.PrinterId == printerId, cancellationToken);
            if (printer is null)
            {
                return WorkOutcome.Refused("printer.not-found", Texts.Get<MesStrings>("Printer.NotFound"));
            }

            if (!printer.CanTakeWork)
            {
                return WorkOutcome.Refused("printer.not-ready", Texts.Get<MesStrings>("Printer.NotReady", printer.Name, Printer.StateText(printer.State)));
            }

            var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
                ?? throw new JobRuleException("account.not-found", Texts.Get<MesStrings>("Work.NotOperatorAccount"));
            var job = await NextFittingJobAsync(printer, account, margin, lost, cancellationToken);
            if (job is null)
            {
                return WorkOutcome.Refused("printer.no-fitting-job",
                    Texts.Get<MesStrings>("Printer.NoFittingJob", printer.Name, printer.Technology, (printer.Material ?? Texts.Get<MesStrings>("Printer.NoMaterial")) + (printer.Colour is null ? "" : " " + printer.Colour)));
            }

            var jobs = await PlateOfAsync(printer, job, margin, lost, cancellationToken);
            SlicedPrint sliced;
            try
            {
                // Sliced before anything is recorded: a print is only marked as sent once its G-code exists.
                sliced = await slicer.SliceAsync(printer, jobs.SelectMany(j => j.Items).ToList(), cancellationToken);
            }
            catch (Slicing.SlicerException failure)
            {
                return await NotSlicedAsync(printer.PrinterId, jobs, failure, cancellationToken);
            }

            var now = clock.GetUtcNow();
            var actor = account.AsActor();
            try
            {
                if (job.AssignedToId != account.Id)
                {
                    var inProgress = await db.Jobs.CountAsync(j => j.AssignedToId == accountId && JobStages.WorkInProgress.Contains(j.Stage), cancellationToken);
                    job.Take(account, inProgress, wipLimit, now);
                }

                foreach (var extra in jobs.Skip(1))
                {
                    extra.JoinPlate(account, now);
                }

                var printId = Guid.CreateVersion7(now);
                var fileName = $"{job.OrderNumber}{(jobs.Count > 1 ? $"-plate{jobs.Count}" : "")}-{printId.ToString("N")[^8..]}.gcode";
                printer.BeginPrint(printId, fileName, now);
                foreach (var onPlate in jobs)
                {
                    if (onPlate.StartPrintOn(printer, printId, actor, now) is { } progressed)
                    {
                        db.Publish(progressed, clock);
                    }
                }

                db.Plates.Add(Plate.Start(printId, printer, jobs, sliced.PrintHours, now));

                db.AfterCommit(() => { feed.Notify(MesTopics.Queue); feed.Notify(MesTopics.Floor); });
                await db.SaveChangesAsync(cancellationToken);
                return await SendAsync(printer, jobs, printId, fileName, sliced.Path, cancellationToken);
            }
            catch (JobRuleException refusal)
            {
                return WorkOutcome.Refused(refusal.Code, refusal.Message, job.JobId);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Someone took one of these jobs or this printer at the same moment: look again without them.
                lost.UnionWith(jobs.Select(j => j.Id));
            }
        }

        return WorkOutcome.Refused("queue.busy", Texts.Get<MesStrings>("Work.QueueBusy"));
    }

    /// <summary>
    /// With the Plates flag on, the waiting jobs that share a build plate with <paramref name="lead"/> (PlateComposer's
    /// rules: same printer fit, small, queue order, room left on the bed); else the lead alone.
    /// </summary>
    private async Task<List<ManufacturingJob>> PlateOfAsync(Printer printer, ManufacturingJob lead, double margin, HashSet<long> lost, CancellationToken cancellationToken)
    {
        var options = farm.CurrentValue;
        if (options.PlateMaxJobs < 2 || printer.Material is not { } material || PlateComposer.Footprint(lead) is null
            || !await features.IsEnabledAsync(FeatureFlags.Plates))
        {
            return [lead];
        }

        var candidates = await db.Jobs.Include(j => j.Items)
            .Where(j => !lost.Contains(j.Id) && j.Id != lead.Id && j.AwaitingPrinter && j.AssignedToId == null && j.QueueRank == QueueRanks.Waiting)
            .Where(j => j.Stage == OrderStatus.ManufacturingApproved || j.Stage == OrderStatus.Printing)
            .Where(j => j.Items.All(i => i.Material == material))
            .OrderBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .Take(CandidatePage).ToListAsync(cancellationToken);
        return [.. PlateComposer.Compose(printer, lead, candidates, margin, options.PlateFill, options.PlateMaxJobs)];
    }

    private async Task<ManufacturingJob?> NextFittingJobAsync(
        Printer printer, MesAccount account, double margin, HashSet<long> lost, CancellationToken cancellationToken)
    {
        if (printer.Material is not { } material || !account.CanRun(material))
        {
            return null;
        }

        var waiting = db.Jobs.Include(j => j.Items)
            .Where(j => !lost.Contains(j.Id) && j.AwaitingPrinter)
            .Where(j => j.Stage == OrderStatus.ManufacturingApproved || j.Stage == OrderStatus.Printing)
            .Where(j => j.Items.All(i => i.Material == material));
        var mine = await waiting.Where(j => j.AssignedToId == account.Id)
            .OrderBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
            .Take(CandidatePage).ToListAsync(cancellationToken);
        if (mine.FirstOrDefault(j => PrinterFit.WhyNot(printer, j.Items, margin) is null) is { } own)
        {
            return own;
        }

        // The queue in its order, a page at a time: sizes and colours are checked here, so a queue of parts too large
        // for this printer is read in pages rather than at once.
        for (var page = 0; page < 50; page++)
        {
            var candidates = await waiting.Where(j => j.QueueRank == QueueRanks.Waiting)
                .OrderBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.CreatedAt).ThenBy(j => j.Id)
                .Skip(page * CandidatePage).Take(CandidatePage).ToListAsync(cancellationToken);
            if (candidates.FirstOrDefault(j => PrinterFit.WhyNot(printer, j.Items, margin) is null) is { } fitting)
            {
                return fitting;
            }

            if (candidates.Count < CandidatePage)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>Uploads the print and starts it; a refusal puts its jobs back in the queue with the printer's reason.</summary>
    internal async Task<WorkOutcome> SendAsync(
        Printer printer, IReadOnlyList<ManufacturingJob> jobs, Guid printId, string fileName, string gcodePath, CancellationToken cancellationToken)
    {
        PrinterReply reply;
        try
        {
            var endpoint = keys.EndpointOf(printer);
            await using var gcode = new FileStream(gcodePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, useAsync: true);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(farm.CurrentValue.UploadTimeout);
            reply = await connection.UploadAndStartAsync(endpoint, fileName, gcode, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reply = new PrinterReply(false, PrinterErrorCodes.Timeout, "The printer did not take the file in time.");
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            reply = new PrinterReply(false, PrinterErrorCodes.Unauthorized, "The stored API key cannot be read with this deployment's keys; enter it again.");
        }

        var orders = string.Join(", ", jobs.Select(j => j.OrderNumber));
        db.ChangeTracker.Clear();
        var now = clock.GetUtcNow();
        var tracked = await db.Printers.FirstAsync(p => p.PrinterId == printer.PrinterId, CancellationToken.None);
        var ids = jobs.Select(j => j.Id).ToList();
        if (reply.Ok)
        {
            tracked.MarkUploaded(printId);
            db.AfterCommit(() => feed.Notify(MesTopics.Floor));
            await SaveQuietlyAsync();
            return new WorkOutcome(true, jobs.Count == 1
                ? Texts.Get<MesStrings>("Printer.Started", orders, printer.Name)
                : Texts.Get<MesStrings>("Printer.StartedPlate", orders, printer.Name), "ok", jobs[0].JobId);
        }

        var reason = $"{printer.Name} refused the print: {reply.Error ?? reply.ErrorCode}";
        logger.LogWarning("Printer {Printer} refused print {PrintId}: {Code} {Error}", printer.Name, printId, reply.ErrorCode, reply.Error);
        if (tracked.CurrentPrintId == printId)
        {
            tracked.PrintRefused(reply.ErrorCode ?? PrinterErrorCodes.PrinterError, reply.Error ?? "refused", now);
        }

        foreach (var job in await db.Jobs.Include(j => j.Items).Where(j => ids.Contains(j.Id)).ToListAsync(CancellationToken.None))
        {
            job.ReturnToQueue(printId, reason, now);
        }

        if (await db.Plates.FirstOrDefaultAsync(p => p.PlateId == printId && p.State == PlateState.Printing, CancellationToken.None) is { } plate)
        {
            plate.Fail(reason, now);
        }

        db.AfterCommit(() => { feed.Notify(MesTopics.Queue); feed.Notify(MesTopics.Floor); metrics.PrintSettled("refused"); });
        await SaveQuietlyAsync();
        return WorkOutcome.Refused(reply.ErrorCode ?? PrinterErrorCodes.PrinterError, $"{reason}. Order {orders} went back to the queue.", jobs[0].JobId);

        async Task SaveQuietlyAsync()
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The monitor changed the printer at the same moment; its next report settles the print.
                logger.LogInformation("Print {PrintId}: the printer changed while its upload was recorded; the monitor settles it", printId);
            }
        }
    }

    /// <summary>The print could not be sliced: the printer's card says why, the jobs stay where they were.</summary>
    private async Task<WorkOutcome> NotSlicedAsync(Guid printerId, List<ManufacturingJob> jobs, Slicing.SlicerException failure, CancellationToken cancellationToken)
    {
        var orders = string.Join(", ", jobs.Select(j => j.OrderNumber));
        logger.LogWarning("Print of {Orders} not sliced: {Code} {Error}", orders, failure.Code, failure.Message);
        db.ChangeTracker.Clear();
        if (await db.Printers.FirstOrDefaultAsync(p => p.PrinterId == printerId, cancellationToken) is { } printer)
        {
            printer.NoteNotSliced(failure.Message, failure.Reason, failure.Arguments);
            db.AfterCommit(() => feed.Notify(MesTopics.Floor));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // the monitor wrote the printer at the same moment; the operator still gets the reason below
            }
        }

        return WorkOutcome.Refused(PrinterErrorCodes.NotSliced, Texts.Get<MesStrings>("Work.NotSliced", SlicerText.Of(failure), orders), jobs[0].JobId);
    }

    /// <summary>
    /// After the farm changed: waiting jobs no printer can ever print are flagged (and Ordering told), flags that no
    /// longer hold are cleared. Bounded: the first few hundred waiting jobs.
    /// </summary>
    private async Task RecheckWaitingJobsAsync(Printer? extra, CancellationToken cancellationToken)
    {
        var printers = await db.Printers.Where(p => p.State != PrinterState.Retired).ToListAsync(cancellationToken);
        if (extra is not null && !printers.Contains(extra))
        {
            printers.Add(extra);
        }

        printers = printers.Where(p => p.IsActive).ToList();
        var margin = farm.CurrentValue.FitMarginMm;
        var now = clock.GetUtcNow();
        var jobs = await db.Jobs.Include(j => j.Items)
            .Where(j => j.AwaitingPrinter && (j.Stage == OrderStatus.ManufacturingApproved || j.Stage == OrderStatus.Printing))
            .OrderBy(j => j.QueueRank).ThenBy(j => j.Priority).ThenBy(j => j.DueBy).ThenBy(j => j.Id)
            .Take(500).ToListAsync(cancellationToken);
        foreach (var job in jobs)
        {
            if (PrinterFit.WhyNoPrinter(printers, job.Items, margin) is { } reason)
            {
                if (job.FlagUnschedulable(reason, now) is { } flagged)
                {
                    db.Publish(flagged, clock);
                }
            }
            else
            {
                job.ClearUnschedulable();
            }
        }
    }

    private async Task<WorkOutcome> ChangePrinterAsync(Guid printerId, Func<Printer, string> change, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var printer = await db.Printers.FirstOrDefaultAsync(p => p.PrinterId == printerId, cancellationToken);
            if (printer is null)
            {
                return WorkOutcome.Refused("printer.not-found", Texts.Get<MesStrings>("Printer.NotFound"));
            }

            try
            {
                var message = change(printer);
                await RecheckWaitingJobsAsync(extra: null, cancellationToken);
                db.AfterCommit(() => { feed.Notify(MesTopics.Floor); feed.Notify(MesTopics.Queue); });
                await db.SaveChangesAsync(cancellationToken);
                return new WorkOutcome(true, message, "ok", printer.PrinterId);
            }
            catch (JobRuleException refusal)
            {
                return WorkOutcome.Refused(refusal.Code, refusal.Message, printer.PrinterId);
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // The monitor recorded a report at the same moment: apply the change to the fresh row.
            }
            catch (DbUpdateException)
            {
                return WorkOutcome.Refused("printer.name-taken", Texts.Get<MesStrings>("Printer.NameTaken"), printer.PrinterId);
            }
        }
    }

    private async Task<WorkOutcome?> RequireSupervisorAsync(Guid supervisorId, CancellationToken cancellationToken)
    {
        var supervisor = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == supervisorId, cancellationToken);
        return supervisor?.AsActor().IsSupervisor == true
            ? null
            : WorkOutcome.Refused("printer.forbidden", Texts.Get<MesStrings>("Printer.Forbidden"));
    }
}
