using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PrintFlow.Geometry;
using PrintFlow.Geometry.Preview;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.Shop.Preview;

/// <summary>
/// The light 3D copies of stored models that the Shop's pages draw (<see cref="ModelPreview"/>), behind signed,
/// expiring links: a page that may show a model hands out its link, and nobody can fetch a preview by guessing a hash.
/// Built once per model and kept in a bounded cache; at most two are built at a time, so a burst of large models
/// cannot take the Shop's cores.
/// </summary>
public sealed class ModelPreviews(IModelStore store, IDataProtectionProvider protection, IOptions<PrintFlowOptions> options, TimeProvider clock)
    : IDisposable
{
    public const string Route = "/shop/models/preview";
    public const int MaxTriangles = 50_000;
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(1);
    private static readonly TimeSpan BuildQueueTimeout = TimeSpan.FromSeconds(20);

    private readonly ITimeLimitedDataProtector _links = protection.CreateProtector("PrintFlow.Shop.ModelPreview.v1").ToTimeLimitedDataProtector();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 256L * 1024 * 1024, Clock = null });
    private readonly SemaphoreSlim _builders = new(2, 2);

    /// <summary>The link a page puts on its preview element.</summary>
    public string LinkFor(string modelSha256) => $"{Route}/{_links.Protect(modelSha256, clock.GetUtcNow() + LinkLifetime)}";

    /// <summary>The model a link names, or null for a forged, altered or expired one.</summary>
    public string? ModelOf(string token)
    {
        try
        {
            var sha = _links.Unprotect(token, out var expires);
            return expires >= clock.GetUtcNow() ? sha : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The encoded preview (<see cref="ModelPreview.Encode"/>) of a stored model.</summary>
    /// <exception cref="FileNotFoundException">The model is no longer stored.</exception>
    /// <exception cref="ModelFormatException">The model cannot be read.</exception>
    /// <exception cref="TimeoutException">Too many previews are being built.</exception>
    public async Task<byte[]> GetAsync(string modelSha256, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(modelSha256, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        if (!await _builders.WaitAsync(BuildQueueTimeout, cancellationToken))
        {
            throw new TimeoutException("Too many previews are being prepared; try again in a moment.");
        }

        try
        {
            if (_cache.TryGetValue(modelSha256, out cached) && cached is not null)
            {
                return cached;
            }

            using var file = await store.OpenFileAsync(modelSha256, cancellationToken);
            var encoded = await Task.Run(() =>
            {
                var mesh = ModelReader.Read(file.Path, new ReadOptions { MaxFileBytes = options.Value.MaxModelBytes });
                return ModelPreview.Build(mesh, MaxTriangles).Encode();
            }, cancellationToken);
            _cache.Set(modelSha256, encoded, new MemoryCacheEntryOptions { Size = encoded.Length, SlidingExpiration = TimeSpan.FromMinutes(30) });
            return encoded;
        }
        finally
        {
            _builders.Release();
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _builders.Dispose();
    }
}
