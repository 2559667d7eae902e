using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PrintFlow.Notifications.Data;
using PrintFlow.Notifications.Domain;

namespace PrintFlow.Notifications.Sending;

/// <summary>
/// Sends the stored emails. A round claims due rows with a lease (so instances never send one email at the same
/// time), sends them, and marks each sent, or schedules its next attempt with exponential back-off, or parks it
/// after <see cref="NotificationsOptions.MaxAttempts"/>. A crash between sending and marking leaves the lease to
/// expire and the email is sent again: delivery to the mail server is at-least-once (the Message-ID stays the same).
/// </summary>
public sealed class NotificationSender(
    IServiceScopeFactory scopes,
    IMailTransport transport,
    SenderSignal signal,
    NotificationsClock clock,
    NotificationsMetrics metrics,
    IOptions<NotificationsOptions> options,
    ILogger<NotificationSender> logger) : BackgroundService
{
    private readonly Guid _instance = Guid.NewGuid();
    private readonly MailboxAddress _from = MailboxAddress.Parse(options.Value.From);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            var wait = options.Value.PollInterval;
            try
            {
                full = await SendDueAsync(stoppingToken) >= options.Value.BatchSize;
                wait = await UntilNextDueAsync(wait, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable or similar: nothing was marked, so the next round tries again.
                logger.LogWarning(exception, "A round of sending emails failed; trying again in {PollSeconds} s", options.Value.PollInterval.TotalSeconds);
            }

            try
            {
                if (!full)
                {
                    await signal.WaitAsync(wait, clock.Time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The wait until the earliest retry falls due, if sooner than the poll: back-off keeps its schedule.</summary>
    private async Task<TimeSpan> UntilNextDueAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.Now;
        // Rows another instance holds are left to the poll: waiting for them here would spin until their lease ends.
        var next = await db.Notifications.AsNoTracking()
            .Where(n => n.State == NotificationState.Pending && (n.LockedUntil == null || n.LockedUntil <= now))
            .OrderBy(n => n.NextAttemptAt)
            .Select(n => (DateTimeOffset?)n.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (next is not { } due)
        {
            return poll;
        }

        var until = due - now;
        return until <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : until < poll ? until : poll;
    }

    /// <summary>One round: claims, sends and marks the due emails; returns how many it claimed.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var now = clock.Now;
        var due = await db.Notifications.AsNoTracking()
            .Where(n => n.State == NotificationState.Pending && n.NextAttemptAt <= now && (n.LockedUntil == null || n.LockedUntil <= now))
            .OrderBy(n => n.NextAttemptAt)
            .Select(n => n.Id)
            .Take(settings.BatchSize)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // One conditional update claims the batch: a row another instance claimed meanwhile no longer matches, and
        // reading back by this instance's lease tells which rows this round owns.
        var until = now + settings.SendLease;
        await db.Notifications
            .Where(n => due.Contains(n.Id) && n.State == NotificationState.Pending && (n.LockedUntil == null || n.LockedUntil <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LockedBy, _instance).SetProperty(n => n.LockedUntil, until), cancellationToken);
        var rows = await db.Notifications.AsNoTracking()
            .Where(n => due.Contains(n.Id) && n.LockedBy == _instance)
            .OrderBy(n => n.NextAttemptAt)
            .ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var results = await transport.SendAsync([.. rows.Select(r => MailMessages.Build(r, _from))], cancellationToken);
        var after = clock.Now;
        for (var i = 0; i < rows.Count; i++)
        {
            await MarkAsync(db, rows[i], results[i], after, cancellationToken);
        }

        return rows.Count;
    }

    private async Task MarkAsync(NotificationsDbContext db, Notification row, Exception? failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempts = row.Attempts + 1;
        var mine = db.Notifications.Where(n => n.Id == row.Id && n.LockedBy == _instance);
        if (failure is null)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(n => n.State, NotificationState.Sent)
                .SetProperty(n => n.SentAt, now)
                .SetProperty(n => n.LastAttemptAt, now)
                .SetProperty(n => n.Attempts, attempts)
                .SetProperty(n => n.LockedBy, (Guid?)null)
                .SetProperty(n => n.LockedUntil, (DateTimeOffset?)null), cancellationToken);
            metrics.Sent(row.Kind, now - row.EventAt);
            logger.LogInformation("Sent the {Kind} email of order {OrderId} (attempt {Attempt})", MessageKinds.Label(row.Kind), row.OrderId, attempts);
            return;
        }

        var reason = MailMessages.Reason(failure);
        var error = $"{reason}: {failure.GetBaseException().Message}";
        error = error.Length > Notification.MaxErrorLength ? error[..Notification.MaxErrorLength] : error;
        if (attempts >= options.Value.MaxAttempts)
        {
            await mine.ExecuteUpdateAsync(s => s
                .SetProperty(n => n.State, NotificationState.Parked)
                .SetProperty(n => n.ParkedAt, now)
                .SetProperty(n => n.LastAttemptAt, now)
                .SetProperty(n => n.Attempts, attempts)
                .SetProperty(n => n.LastError, error)
                .SetProperty(n => n.LockedBy, (Guid?)null)
                .SetProperty(n => n.LockedUntil, (DateTimeOffset?)null), cancellationToken);
            metrics.Parked(row.Kind, reason);
            logger.LogError("Gave up on the {Kind} email of order {OrderId} to its customer after {Attempts} attempts ({Error}); it is parked",
                MessageKinds.Label(row.Kind), row.OrderId, attempts, error);
            return;
        }

        var next = now + options.Value.RetryDelay(attempts);
        await mine.ExecuteUpdateAsync(s => s
            .SetProperty(n => n.NextAttemptAt, next)
                .SetProperty(n => n.LastAttemptAt, now)
            .SetProperty(n => n.Attempts, attempts)
            .SetProperty(n => n.LastError, error)
            .SetProperty(n => n.LockedBy, (Guid?)null)
            .SetProperty(n => n.LockedUntil, (DateTimeOffset?)null), cancellationToken);
        metrics.Failed(row.Kind, reason);
        logger.LogWarning("Sending the {Kind} email of order {OrderId} failed (attempt {Attempt}: {Error}); next attempt at {NextAttemptAt:O}",
            MessageKinds.Label(row.Kind), row.OrderId, attempts, error, next);
    }
}
