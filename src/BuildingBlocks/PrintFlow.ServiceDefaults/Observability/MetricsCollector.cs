using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>
/// Collects this host's metrics from System.Diagnostics.Metrics for the Prometheus exposition: counters are summed,
/// up-down counters and gauges keep their value, histograms count into explicit buckets. It listens to the meters
/// created through this host's <see cref="IMeterFactory"/> (PrintFlow's own, ASP.NET Core's) and to the process-wide
/// runtime and EF Core meters, so two hosts in one process (tests) do not mix their numbers.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    /// <summary>Meters that are process-wide statics rather than created through a host's factory.</summary>
    public static readonly IReadOnlySet<string> ProcessMeters = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Runtime",
        "Microsoft.EntityFrameworkCore",
    };

    private readonly object? _scope;
    private readonly Func<Meter, bool> _accept;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _scrapeLock = new();

    public MetricsCollector(IMeterFactory meterFactory, IEnumerable<IMetricsSource> sources)
        : this(meter => meter.Scope == meterFactory || (meter.Scope is null && ProcessMeters.Contains(meter.Name)))
    {
        _scope = meterFactory;
        _ = sources.Count(); // creates their instruments before the listener starts, so none is missed
    }

    /// <summary>For tests: collects every meter <paramref name="accept"/> admits.</summary>
    public MetricsCollector(Func<Meter, bool> accept)
    {
        _accept = accept;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!_accept(instrument.Meter))
            {
                return;
            }

            var state = _instruments.GetOrAdd(instrument, InstrumentState.For);
            listener.EnableMeasurementEvents(instrument, state);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _);
        _listener.SetMeasurementEventCallback<double>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, state) => ((InstrumentState)state!).Record(v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, state) => ((InstrumentState)state!).Record((double)v, tags));
        _listener.Start();
    }

    /// <summary>The scope (meter factory) this collector is bound to, if any.</summary>
    public object? Scope => _scope;

    /// <summary>Observes the observable instruments and returns every metric family, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_scrapeLock)
        {
            foreach (var state in _instruments.Values)
            {
                state.BeginObservation();
            }

            _listener.RecordObservableInstruments();
            return [.. _instruments.Values
                .Select(state => state.Snapshot())
                .GroupBy(family => family.Name, StringComparer.Ordinal)
                .Select(group => group.Count() == 1 ? group.First() : group.First() with { Series = [.. group.SelectMany(f => f.Series)] })
                .Where(family => family.Series.Count > 0)
                .OrderBy(family => family.Name, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>A service's class that owns observable instruments: registered so the collector creates it up front.</summary>
public interface IMetricsSource;

public static class MetricsSourceExtensions
{
    public static IServiceCollection AddMetricsSource<T>(this IServiceCollection services) where T : class, IMetricsSource
    {
        services.AddSingleton<T>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<T>());
        return services;
    }
}
