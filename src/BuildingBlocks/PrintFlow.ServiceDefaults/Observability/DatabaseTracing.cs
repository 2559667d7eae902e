using System.Diagnostics;
using Npgsql;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>Npgsql's own spans, kept to commands that run inside a recorded trace (a request, a message handler).</summary>
public static class DatabaseTracing
{
    /// <summary>Background polling runs outside any trace: without this filter each of its queries would start a trace of its own.</summary>
    public static NpgsqlDataSourceBuilder TraceOnlyWithinTraces(this NpgsqlDataSourceBuilder dataSource) =>
        dataSource.ConfigureTracing(tracing => tracing
            .ConfigureCommandFilter(_ => Activity.Current is { Recorded: true })
            .ConfigureBatchFilter(_ => Activity.Current is { Recorded: true }));
}
