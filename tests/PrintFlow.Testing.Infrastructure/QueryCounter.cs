using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PrintFlow.Testing;

/// <summary>
/// Counts, from EF's diagnostic events, the SELECTs of one table whose parameters name one of the given ids (other tests
/// run alongside, so only these ids count), in every context of the process: how many round trips a unit of work took.
/// </summary>
public sealed class QueryCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly string _table;
    private readonly string[] _ids;
    private readonly List<IDisposable> _subscriptions = [];
    private int _count;

    public QueryCounter(string table, IEnumerable<Guid> ids)
    {
        _table = table;
        _ids = [.. ids.Select(id => id.ToString())];
        _subscriptions.Add(DiagnosticListener.AllListeners.Subscribe(this));
    }

    public int Count => Volatile.Read(ref _count);

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == DbLoggerCategory.Name)
        {
            lock (_subscriptions)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == RelationalEventId.CommandExecuting.Name && value.Value is CommandEventData { Command: var command }
            && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
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

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        lock (_subscriptions)
        {
            _subscriptions.ForEach(s => s.Dispose());
        }
    }
}
