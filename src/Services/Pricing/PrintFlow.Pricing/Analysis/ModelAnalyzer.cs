using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrintFlow.Geometry;
using PrintFlow.Pricing.Data;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Pricing.Analysis;

/// <summary>
/// Analyses a stored model once: results are cached by (SHA-256, analysis version), so pricing the same model with
/// other options never analyses it again, and concurrent requests for one model share a single analysis.
/// </summary>
public sealed class ModelAnalyzer(IModelStore models, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ModelAnalyzer> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
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
        var row = await db.Analyses.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Sha256 == sha256 && a.AnalysisVersion == ModelAnalysis.Version, cancellationToken);
        return row is null ? null : JsonSerializer.Deserialize<MeshAnalysis>(row.ResultJson, Json);
    }

    private async Task<MeshAnalysis> AnalyzeAndStoreAsync(string sha256, string fileName)
    {
        if (!models.Exists(sha256))
        {
            throw new ModelFormatException("model.missing", $"The model {fileName} is not in the model store; upload it again.");
        }

        // Parsing is CPU-bound: keep it off the delivering thread.
        var started = Stopwatch.GetTimestamp();
        var analysis = await Task.Run(() => ModelAnalysis.AnalyzeFile(models.PathOf(sha256), analysis: null));
        var elapsed = Stopwatch.GetElapsedTime(started);
        Interlocked.Increment(ref _analysesRun);
        logger.LogInformation("Analysed {FileName} ({Sha256}): {Triangles} triangles in {ElapsedMs:F1} ms",
            fileName, sha256, analysis.Triangles, elapsed.TotalMilliseconds);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PricingDbContext>();
        db.Analyses.Add(new CachedAnalysis
        {
            Sha256 = sha256,
            AnalysisVersion = ModelAnalysis.Version,
            ResultJson = JsonSerializer.Serialize(analysis, Json),
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
