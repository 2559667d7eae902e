using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace PrintFlow.Messaging.Tests;

/// <summary>
/// Writes every log entry as the services' JSON console logger does (the framework's JSON formatter, scopes included,
/// as ServiceDefaults configures it), into lines a test can parse.
/// </summary>
public sealed class JsonLogLines : ILoggerProvider, ISupportExternalScope
{
    private readonly ServiceProvider _formatters;
    private readonly ConsoleFormatter _json;
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public JsonLogLines()
    {
        _formatters = new ServiceCollection().AddLogging(builder => builder.AddJsonConsole(o => o.IncludeScopes = true)).BuildServiceProvider();
        _json = _formatters.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json);
    }

    /// <summary>Each line parsed: "Category", "Message", "State", "Scopes" as the formatter wrote them.</summary>
    public IEnumerable<JsonElement> Lines => _lines.Select(line => JsonDocument.Parse(line).RootElement);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() => _formatters.Dispose();

    private sealed class Logger(JsonLogLines owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            using var writer = new StringWriter();
            owner._json.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes, writer);
            owner._lines.Enqueue(writer.ToString().Trim());
        }
    }
}
