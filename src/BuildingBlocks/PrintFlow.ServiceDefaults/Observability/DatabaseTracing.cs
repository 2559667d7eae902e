using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// Database work as child spans of whatever runs it (a request, a message handler): one <c>Client</c> span per EF
/// Core command, from EF Core's DiagnosticListener, so no instrumentation package is needed. The span carries the
/// operation and the parameterised SQL (EF Core never inlines values).
/// </summary>
public static class DatabaseTracing
{
    public const string SourceName = "PrintFlow.Data";
    private const int MaxQueryText = 2000;
    private static readonly ActivitySource Source = new(SourceName);
    private static readonly ConcurrentDictionary<Guid, Activity> Running = new();
    private static int _subscribed;

    /// <summary>Subscribes once per process (the listener is process-wide; several hosts share it).</summary>
    public static void EnsureSubscribed()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            DiagnosticListener.AllListeners.Subscribe(new ListenerObserver());
        }
    }

    private static void OnEvent(KeyValuePair<string, object?> evt)
    {
        if (evt.Value is not CommandEventData data)
        {
            return;
        }

        if (evt.Key == RelationalEventId.CommandExecuting.Name)
        {
            if (Activity.Current is not { IsAllDataRequested: true })
            {
                return; // background polling, or a trace that is not being recorded: nothing to add to
            }

            var command = data.Command.CommandText;
            var operation = command.AsSpan().TrimStart();
            var space = operation.IndexOfAny(' ', '\n');
            var operationName = (space > 0 ? operation[..space] : operation).ToString().ToUpperInvariant();
            var database = data.Context?.GetType().Name.Replace("DbContext", "", StringComparison.Ordinal).ToLowerInvariant() ?? "db";
            var activity = Source.StartActivity($"{operationName} {database}", ActivityKind.Client);
            if (activity is null)
            {
                return;
            }

            if (activity.IsAllDataRequested)
            {
                activity.SetTag("db.system.name", data.Context?.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true ? "postgresql" : "sqlite");
                activity.SetTag("db.namespace", database);
                activity.SetTag("db.operation.name", operationName);
                activity.SetTag("db.query.text", command.Length > MaxQueryText ? command[..MaxQueryText] : command);
            }

            Running[data.CommandId] = activity;
            return;
        }

        if (!Running.TryRemove(data.CommandId, out var running))
        {
            return;
        }

        if (evt.Key == RelationalEventId.CommandError.Name && data is CommandErrorEventData error)
        {
            running.SetStatus(ActivityStatusCode.Error, error.Exception.Message);
            running.SetTag("error.type", error.Exception.GetType().Name);
        }

        var current = Activity.Current;
        running.Stop();
        Activity.Current = current == running ? running.Parent : current;
    }

    private sealed class ListenerObserver : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                listener.Subscribe(new EventObserver(), name =>
                    name == RelationalEventId.CommandExecuting.Name || name == RelationalEventId.CommandExecuted.Name
                    || name == RelationalEventId.CommandError.Name || name == RelationalEventId.CommandCanceled.Name);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value) => OnEvent(value);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
