using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using PrintFlow.Contracts;

namespace PrintFlow.Messaging;

/// <summary>
/// Base of every service's DbContext: it owns the service's outbox and inbox tables, so a state change, the
/// events it causes and the message that caused it commit in one SaveChanges.
/// </summary>
public abstract class ServiceDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    private readonly List<Action> _afterCommit = [];

    /// <summary>
    /// Runs <paramref name="action"/> once the next SaveChanges has committed (for example to tell open pages that
    /// something changed). If that SaveChanges fails, the action is dropped with it.
    /// </summary>
    public void AfterCommit(Action action) => _afterCommit.Add(action);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        int written;
        try
        {
            written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch
        {
            _afterCommit.Clear();
            throw;
        }

        if (Database.CurrentTransaction is null)
        {
            RunAfterCommit();
        }

        return written;
    }

    /// <summary>For code that wraps SaveChanges in its own transaction: call after committing it.</summary>
    public void RunAfterCommit()
    {
        var actions = _afterCommit.ToArray();
        _afterCommit.Clear();
        foreach (var action in actions)
        {
            action();
        }
    }

    /// <summary>Adds an event to the outbox; it is published only if the surrounding SaveChanges commits.</summary>
    public void Publish(IIntegrationEvent message, TimeProvider? clock = null)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        Outbox.Add(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(now),
            Name = MessageTypes.NameOf(message.GetType()),
            CorrelationId = message.OrderId,
            Payload = MessageSerializer.Serialize(message),
            TraceParent = System.Diagnostics.Activity.Current?.Id,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.HasIndex(m => new { m.DispatchedAt, m.NextAttemptAt, m.Id });
            outbox.Property(m => m.Name).HasMaxLength(200);
            outbox.Property(m => m.TraceParent).HasMaxLength(100);
        });
        modelBuilder.Entity<InboxMessage>(inbox =>
        {
            inbox.ToTable("inbox_messages");
            inbox.HasKey(m => new { m.MessageId, m.Consumer });
            inbox.Property(m => m.Consumer).HasMaxLength(200);
            inbox.Property(m => m.Name).HasMaxLength(200);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            // SQLite has no date type: store UTC ticks so times compare and sort in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
