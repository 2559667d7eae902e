using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using PrintFlow.Contracts;
using PrintFlow.Notifications.Data;
using PrintFlow.Notifications.Domain;
using PrintFlow.Notifications.Rendering;
using PrintFlow.Notifications.Sending;

namespace PrintFlow.Notifications.Handlers;

/// <summary>
/// Stages one email for an event in the handler's unit of work (saved with the event's inbox row), unless it exists
/// already or the customer turned its kind off. Nothing is sent here: the sender takes it once it has committed.
/// </summary>
internal sealed class NotificationWriter(
    NotificationsDbContext db, MessageRenderer renderer, SenderSignal signal, IOptions<NotificationsOptions> options, NotificationsClock clock)
{
    public async Task StageAsync(string eventKey, MessageKind kind, MessageModel model, CancellationToken cancellationToken)
    {
        var recipient = model.Customer.Email.Trim().ToLowerInvariant();
        if (!MimeKit.MailboxAddress.TryParse(recipient, out _))
        {
            return; // the channel validated it; an address MimeKit cannot read would only ever be parked
        }

        // A republished status or a batch that applied the event before carries the same key: no second email.
        if (db.Notifications.Local.Any(n => n.EventKey == eventKey && n.Recipient == recipient && n.Kind == kind)
            || await db.Notifications.AnyAsync(n => n.EventKey == eventKey && n.Recipient == recipient && n.Kind == kind, cancellationToken))
        {
            return;
        }

        var preference = db.Preferences.Local.FirstOrDefault(p => p.CustomerId == model.Customer.CustomerId)
            ?? await db.Preferences.AsNoTracking().FirstOrDefaultAsync(p => p.CustomerId == model.Customer.CustomerId, cancellationToken);
        if (preference is not null && !preference.Sends(kind))
        {
            return;
        }

        var language = Languages.Normalize(preference?.Language) ?? options.Value.DefaultLanguage;
        var rendered = renderer.Render(kind, model, language);
        db.Notifications.Add(Notification.Create(
            eventKey, kind, recipient, model.Customer.Name, model.OrderId, model.Customer.CustomerId, rendered, model.At, clock.Now));
        db.AfterCommit(signal.Notify);
    }

    /// <summary>An account email: always sent (the customer asked for it), in the language they chose, else the one they registered in.</summary>
    public async Task StageAccountAsync(string eventKey, MessageKind kind, AccountEmailRequested message, string path, CancellationToken cancellationToken)
    {
        var recipient = message.Email.Trim().ToLowerInvariant();
        if (!MimeKit.MailboxAddress.TryParse(recipient, out _)
            || db.Notifications.Local.Any(n => n.EventKey == eventKey)
            || await db.Notifications.AnyAsync(n => n.EventKey == eventKey, cancellationToken))
        {
            return;
        }

        var customerId = message.CustomerId.ToString();
        var preference = db.Preferences.Local.FirstOrDefault(p => p.CustomerId == customerId)
            ?? await db.Preferences.AsNoTracking().FirstOrDefaultAsync(p => p.CustomerId == customerId, cancellationToken);
        var language = Languages.Normalize(preference?.Language) ?? Languages.Normalize(message.Language) ?? options.Value.DefaultLanguage;
        var rendered = renderer.RenderAccount(kind, message.Name, path, message.ExpiresAt, language);
        db.Notifications.Add(Notification.Create(
            eventKey, kind, recipient, message.Name, Guid.Empty, customerId, rendered, message.At, clock.Now));
        db.AfterCommit(signal.Notify);
    }
}
