using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Options;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Pricing.Analysis;

/// <summary>
/// Analyses a stored model once: results are cached by (SHA-256, analysis version), so pricing the same model with
/// other options never analyses it again, and concurrent requests for one model share a single analysis.
/// </summary>
public sealed class ModelAnalyzer(
    IModelStore models, AnalysisScheduler scheduler, PricingServiceOptions options, IServiceScopeFactory scopes, TimeProvider clock,
    ILogger<ModelAnalyzer> logger)
{
    /// <summary>
    /// Compiled once: every item of every price request asks, and a LINQ query is looked up in EF's query cache on every
    /// call, which means walking and hashing its expression tree first.
    /// </summary>
    private static readonly CompiledQuery<Func<PricingDbContext, string, int, CancellationToken, Task<CachedAnalysis?>>> CachedById = new(() =>
        EF.CompileAsyncQuery((PricingDbContext db, string sha256, int version, CancellationToken _) =>
            db.Analyses.AsNoTracking().FirstOrDefault(a => a.Sha256 == sha256 && a.AnalysisVersion == version)));

    private readonly ConcurrentDictionary<string, Lazy<Task<MeshAnalysis>>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Analyses run so far by this process (cache misses); tests and metrics read it.</summary>
    public int AnalysesRun => _analysesRun;
    private int _analysesRun;

    public async Task<MeshAnalysis> AnalyzeAsync(string sha256, string fileName, CancellationToken cancellationToken)
    {
        if (await FromCacheAsync(sha256, cancellationToken) is { } cached)
        {
            return cached;
        }

        var flight = _inFlight.GetOrAdd(sha256, key => new Lazy<Task<MeshAnalysis>>(() => AnalyzeAndStoreAsync(key, fileName)));
        try
        {
            return await flight.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<MeshAnalysis>>>(sha256, flight));
        }
    }

    private async Task<MeshAnalysis?> FromCacheAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        var row = await CachedById.For(db)(db, sha256, ModelAnalysis.Version, cancellationToken);
        return row?.Result;
    }

    private async Task<MeshAnalysis> AnalyzeAndStoreAsync(string sha256, string fileName)
    {
        // Checked again inside the flight: a request that missed the cache just before another flight stored
        // the result would otherwise analyse the same model a second time.
        if (await FromCacheAsync(sha256, CancellationToken.None) is { } cached)
        {
            return cached;
        }

        if (!models.Exists(sha256))
        {
            throw new ModelFormatException("model.missing", $"The model {fileName} is not in the model store; upload it again.");
        }

        // Parsing is CPU-bound: it runs on the bounded scheduler, where small files overtake large ones.
        var path = models.PathOf(sha256);
        var size = new FileInfo(path).Length;
        var started = Stopwatch.GetTimestamp();
        // The deadline starts with the work, not the wait: a model is refused for its own cost, never for the queue's.
        MeshAnalysis analysis;
        try
        {
            analysis = await scheduler.RunAsync(size,
                () => ModelAnalysis.AnalyzeFile(path, read: null, analysis: null, options.AnalysisTimeout), CancellationToken.None);
        }
        catch (ModelFormatException refused) when (refused.Code == ModelFormatException.TooComplex)
        {
            logger.LogWarning("Refused {FileName} ({Sha256}, {SizeBytes} bytes) as too complex after {ElapsedMs:F1} ms: {Reason}",
                fileName, sha256, size, Stopwatch.GetElapsedTime(started).TotalMilliseconds, refused.Message);
            throw;
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Increment(ref _analysesRun);
        logger.LogInformation("Analysed {FileName} ({Sha256}, {SizeBytes} bytes): {Triangles} triangles in {ElapsedMs:F1} ms including the wait for a slot",
            fileName, sha256, size, analysis.Triangles, elapsed.TotalMilliseconds);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        db.Analyses.Add(new CachedAnalysis
        {
            Sha256 = sha256,
            AnalysisVersion = ModelAnalysis.Version,
            Result = analysis,
            AnalysisMilliseconds = elapsed.TotalMilliseconds,
            CreatedAt = clock.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Another instance cached the same model first; its result is the same.
        }

        return analysis;
    }
}
