using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace PrintFlow.ServiceDefaults;

/// <summary>A model as stored: addressed by the SHA-256 of its bytes, so the same model is stored once.</summary>
public sealed record StoredModel(string Sha256, long SizeBytes);

public sealed class ModelTooLargeException(long limit) : Exception($"The model is larger than the limit of {limit / (1024 * 1024)} MiB.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Content-addressed storage of uploaded 3D models. Channels write, Pricing and MES read by hash. It is a blob
/// store (a folder here, object storage in production), not another service's tables.
/// </summary>
public interface IModelStore
{
    Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken);
    bool Exists(string sha256);
    string PathOf(string sha256);
}

public sealed class FileModelStore : IModelStore
{
    private readonly string _root;
    private readonly long _maxBytes;

    public FileModelStore(IOptions<PrintFlowOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        _root = Path.Combine(DataDirectory.Resolve(configuration, environment), "models");
        _maxBytes = options.Value.MaxModelBytes;
        Directory.CreateDirectory(_root);
    }

    public async Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        // Stream to a temporary file while hashing: a large model is never held in memory whole.
        var temporary = Path.Combine(_root, $".upload-{Guid.NewGuid():N}");
        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
                try
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        size += read;
                        if (size > _maxBytes)
                        {
                            throw new ModelTooLargeException(_maxBytes);
                        }

                        hash.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = PathOf(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!File.Exists(target))
            {
                File.Move(temporary, target, overwrite: true);
            }

            return new StoredModel(sha256, size);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        }

        var normalized = sha256.ToLowerInvariant();
        return Path.Combine(_root, normalized[..2], normalized);
    }
}
