using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PrintFlow.Testing;

/// <summary>
/// Counts, from EF's diagnostic events, the SELECTs of one table whose parameters name one of the given ids (other tests
/// run alongside, so only these ids count), in every context of the process: how many round trips a unit of work took.
/// </summary>
/// <remarks>
/// EF caches "is anyone listening" for a second (its logging cache time), so a listener subscribed just before the
/// work would miss it: one process-wide subscription is made when a host starts (<see cref="Listen"/>) and every
/// counter reads from it.
/// </remarks>
public sealed class QueryCounter : IDisposable
{
    private static readonly ConcurrentDictionary<QueryCounter, byte> Active = new();
    private static readonly Lazy<IDisposable> Subscription = new(() => DiagnosticListener.AllListeners.Subscribe(new ListenerObserver()));

    private readonly string _table;
    private readonly string[] _ids;
    private int _count;

    public QueryCounter(string table, IEnumerable<Guid> ids)
    {
        Listen();
        _table = table;
        _ids = [.. ids.Select(id => id.ToString())];
        Active.TryAdd(this, 0);
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Subscribes to EF's diagnostics once per process; call it before the first query a counter must see.</summary>
    public static void Listen() => _ = Subscription.Value;

    public void Dispose() => Active.TryRemove(this, out _);

    private void OnCommand(DbCommand command)
    {
        if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && command.CommandText.Contains(_table, StringComparison.Ordinal)
            && Names(command))
        {
            Interlocked.Increment(ref _count);
        }
    }

    private bool Names(DbCommand command) => command.Parameters.Cast<DbParameter>()
        .Any(p => Text(p.Value) is { } value && _ids.Any(id => value.Contains(id, StringComparison.OrdinalIgnoreCase)));

    /// <summary>A parameter's value as text: an array parameter (PostgreSQL's <c>= ANY</c>) by its elements.</summary>
    private static string? Text(object? value) =>
        value is System.Collections.IEnumerable items and not string ? string.Join(",", items.Cast<object?>()) : value?.ToString();

    private sealed class ListenerObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                listener.Subscribe(this, name => name == RelationalEventId.CommandExecuting.Name);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (!Active.IsEmpty && value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { Command: var command })
            {
                foreach (var counter in Active.Keys)
                {
                    counter.OnCommand(command);
                }
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
