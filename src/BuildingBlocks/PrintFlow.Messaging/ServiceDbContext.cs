using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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

    /// <summary>Work on rows many units of work change (counters), held back to just before the shared commit.</summary>
    private readonly List<Func<CancellationToken, Task>> _beforeCommit = [];

    private bool _deferToCommit;

    /// <summary>The (entity type, order) pairs a batch's preload looked for: <see cref="WasPreloaded{TEntity}"/>.</summary>
    private readonly HashSet<(Type Entity, Guid OrderId)> _preloaded = [];

    /// <summary>The events this context published that are not saved yet, in order, with their outbox rows.</summary>
    private readonly List<(OutboxMessage Row, IIntegrationEvent Event)> _unsaved = [];

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

        _unsaved.Clear();

        if (Database.CurrentTransaction is null)
        {
            RunAfterCommit();
        }

        return written;
    }

    /// <summary>
    /// Runs <paramref name="work"/> (SQL on a row that many units of work change, such as a counter) inside the
    /// transaction of the current save. At once, normally; but when this context is one of several messages applied in
    /// one transaction (<see cref="MessageEndpoint{TDbContext}"/>), just before that commits: an UPDATE locks its row
    /// until the commit, so done at once it would hold the row through the rest of the batch, and every other batch
    /// wanting that row would wait that long.
    /// </summary>
    protected Task BeforeCommitAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        if (!_deferToCommit)
        {
            return work(cancellationToken);
        }

        _beforeCommit.Add(work);
        return Task.CompletedTask;
    }

    /// <summary>
    /// <paramref name="save"/> (a derived context's <c>base.SaveChangesAsync</c>), then <paramref name="relative"/>
    /// (relative UPDATEs of rows that many units of work change: count = count + n) in the same transaction: just
    /// before a batch's shared transaction commits (<see cref="BeforeCommitAsync"/>), or in a transaction of its own
    /// around this save. If the rows were written but the relative update or the commit then failed, the after-commit
    /// actions stay queued on this context (which is discarded after a failed save); at worst a page re-fetches once.
    /// </summary>
    protected async Task<int> SaveWithRelativeUpdatesAsync(
        Func<CancellationToken, Task<int>> save, Func<CancellationToken, Task> relative, CancellationToken cancellationToken)
    {
        if (Database.CurrentTransaction is not null)
        {
            var written = await save(cancellationToken);
            await BeforeCommitAsync(relative, cancellationToken);
            return written;
        }

        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var result = await save(cancellationToken);
        await relative(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        RunAfterCommit();
        return result;
    }

    /// <summary>
    /// Called by the message endpoint when a handler has run for <paramref name="message"/>, before its changes are
    /// saved: several messages may share this context and one save (a batch), so what a context records about the
    /// message that caused a change (Ordering attributes its transitions) is recorded here, not when saving.
    /// </summary>
    protected internal virtual void MessageHandled(MessageContext message)
    {
    }

    /// <summary>
    /// Loads, tracked and in one query, the rows that messages about these orders look up first (a batch calls it
    /// before its handlers run), so that each handler then finds its order with <see cref="FindTracked{TEntity,TKey}"/>
    /// or <c>DbSet.FindAsync</c> without a round trip of its own. By default nothing is loaded; a service loads its
    /// rows through <see cref="PreloadAsync{TEntity}"/>.
    /// </summary>
    protected internal virtual Task PreloadOrdersAsync(Guid[] orderIds, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Loads <paramref name="rows"/> (the <typeparamref name="TEntity"/> rows of <paramref name="orderIds"/>, tracked:
    /// a <see cref="CompiledQuery{TDelegate}"/>, since every batch runs it) and remembers that these orders' rows were
    /// looked for (<see cref="WasPreloaded{TEntity}"/>).
    /// </summary>
    protected async Task PreloadAsync<TEntity>(IAsyncEnumerable<TEntity> rows, Guid[] orderIds, CancellationToken cancellationToken)
        where TEntity : class
    {
        await foreach (var _ in rows.WithCancellation(cancellationToken))
        {
            // Loading them is the point: the context now tracks them.
        }

        foreach (var orderId in orderIds)
        {
            _preloaded.Add((typeof(TEntity), orderId));
        }
    }

    /// <summary>
    /// Whether this unit of work's preload looked for the <typeparamref name="TEntity"/> rows of this order. If so,
    /// what it found is tracked, and a row that is not tracked did not exist when the batch began: a handler creating a
    /// new order need not ask the database again whether it exists. (Should another instance insert it meanwhile, the
    /// key refuses this batch's insert, and the batch is applied again.)
    /// </summary>
    public bool WasPreloaded<TEntity>(Guid orderId) where TEntity : class => _preloaded.Contains((typeof(TEntity), orderId));

    /// <summary>
    /// The <typeparamref name="TEntity"/> row whose key is this order's id: the tracked one, else none when the
    /// batch's preload looked for it (<see cref="WasPreloaded{TEntity}"/>), else read by key.
    /// </summary>
    public ValueTask<TEntity?> FindOrderRowAsync<TEntity>(Guid orderId, CancellationToken cancellationToken) where TEntity : class =>
        FindOrderRowAsync(orderId, () => Set<TEntity>().FindAsync([orderId], cancellationToken).AsTask());

    /// <summary>The same, read by <paramref name="read"/> (a compiled query, say) when it must be read.</summary>
    public async ValueTask<TEntity?> FindOrderRowAsync<TEntity>(Guid orderId, Func<Task<TEntity?>> read) where TEntity : class =>
        FindTracked<TEntity, Guid>(orderId) ?? (WasPreloaded<TEntity>(orderId) ? null : await read());

    /// <summary>
    /// The tracked entity with this key, or null; unlike <c>DbSet.Local</c>, without comparing every tracked entity
    /// for changes first.
    /// </summary>
    public TEntity? FindTracked<TEntity, TKey>(TKey key) where TEntity : class =>
        ChangeTracker.WithoutDetectingChanges(() => Set<TEntity>().Local.FindEntry(key)?.Entity);

    /// <summary>For a context saving into a transaction another commits: its <see cref="BeforeCommitAsync"/> work waits for <see cref="RunBeforeCommitAsync"/>.</summary>
    internal void DeferToCommit() => _deferToCommit = true;

    /// <summary>The work held back for the commit, in the order it was asked for; called by whoever commits.</summary>
    internal async Task RunBeforeCommitAsync(CancellationToken cancellationToken)
    {
        var work = _beforeCommit.ToArray();
        _beforeCommit.Clear();
        foreach (var item in work)
        {
            await item(cancellationToken);
        }
    }

    /// <summary>
    /// A service of the application (not of EF), or null when it has none: for what a pooled context cannot take in its
    /// constructor.
    /// </summary>
    protected T? ApplicationService<T>() where T : class =>
        this.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService(typeof(T)) as T;

    /// <summary>
    /// Forgets what this unit of work left behind, so a pooled instance starts the next one clean (EF resets its own
    /// state: tracked entities, connection, transaction). A derived context adds its own fields.
    /// </summary>
    protected virtual void ResetState()
    {
        _afterCommit.Clear();
        _beforeCommit.Clear();
        _deferToCommit = false;
        _unsaved.Clear();
        _preloaded.Clear();
    }

    public override void Dispose()
    {
        ResetState();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override ValueTask DisposeAsync()
    {
        ResetState();
        GC.SuppressFinalize(this);
        return base.DisposeAsync();
    }

    /// <summary>
    /// For code that wraps SaveChanges in its own transaction: call after committing it. Every action runs even if one
    /// fails (a batch's context holds several messages' actions); the failures are thrown afterwards.
    /// </summary>
    public void RunAfterCommit()
    {
        var actions = _afterCommit.ToArray();
        _afterCommit.Clear();
        List<Exception>? failures = null;
        foreach (var action in actions)
        {
            try
            {
                action();
            }
            catch (Exception exception)
            {
                (failures ??= []).Add(exception);
            }
        }

        if (failures is [var only])
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(only);
        }
        else if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    /// <summary>
    /// Adds an event to the outbox; it is published only if the surrounding SaveChanges commits. An event of the same
    /// kind and order already waiting in this unit of work may absorb it (<see cref="Coalesce"/>): then one message
    /// leaves instead of two.
    /// </summary>
    public void Publish(IIntegrationEvent message, TimeProvider? clock = null)
    {
        var name = MessageTypes.NameOf(message.GetType());
        for (var i = _unsaved.Count - 1; i >= 0; i--)
        {
            var (row, earlier) = _unsaved[i];
            if (row.CorrelationId != message.OrderId || row.Name != name || Entry(row).State != EntityState.Added)
            {
                continue;
            }

            if (Coalesce(earlier, message) is { } merged)
            {
                row.Payload = MessageSerializer.Serialize(merged);
                _unsaved[i] = (row, merged);
                return;
            }

            break;
        }

        var now = (clock ?? TimeProvider.System).GetUtcNow();
        var outbox = new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(now),
            Name = name,
            CorrelationId = message.OrderId,
            Payload = MessageSerializer.Serialize(message),
            TraceParent = System.Diagnostics.Activity.Current?.Id,
            Route = (message as IRoutedEvent)?.Route(),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        Outbox.Add(outbox);
        _unsaved.Add((outbox, message));
    }

    /// <summary>
    /// One event that says what <paramref name="earlier"/> and then <paramref name="next"/> say (same kind, same order,
    /// neither saved yet), or null to publish both. By default every event is published on its own.
    /// </summary>
    protected virtual IIntegrationEvent? Coalesce(IIntegrationEvent earlier, IIntegrationEvent next) => null;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(outbox =>
        {
            outbox.ToTable("outbox_messages");
            outbox.HasKey(m => m.Id);
            outbox.HasIndex(m => m.MessageId).IsUnique();
            outbox.HasIndex(m => new { m.DispatchedAt, m.NextAttemptAt, m.Id });
            // Only the rows still to send, for the relay's claim, which otherwise walks the primary key through the
            // dispatched history kept for OutboxRetention (figures in docs/messaging.md, "Retention").
            outbox.HasIndex(m => m.Id, "IX_outbox_messages_Pending").HasFilter("\"DispatchedAt\" IS NULL AND \"DeadLetteredAt\" IS NULL");
            outbox.Property(m => m.Name).HasMaxLength(200);
            outbox.Property(m => m.TraceParent).HasMaxLength(100);
            outbox.Property(m => m.Route).HasMaxLength(32);
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
        if (Database.IsSqliteProvider())
        {
            // SQLite has no date type: store UTC ticks so times compare and sort in SQL.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}
