using System.Globalization;
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
/// A model received into the store's temporary area, hashed but not yet in the store. Disposing it removes the
/// temporary file unless <see cref="IModelStore.Commit"/> moved it into the store.
/// </summary>
public sealed class StagedModel(string temporaryPath, string sha256, long sizeBytes) : IDisposable
{
    public string Sha256 { get; } = sha256;
    public long SizeBytes { get; } = sizeBytes;
    internal string TemporaryPath { get; } = temporaryPath;

    public void Dispose()
    {
        try
        {
            File.Delete(TemporaryPath); // no-op once committed (moved away)
        }
        catch (IOException)
        {
            // Still open elsewhere: the sweeper removes stale temporary files.
        }
    }
}

/// <summary>What one sweep of the store removed.</summary>
public sealed record SweepReport(int ModelsDeleted, long BytesDeleted, int TemporaryFilesDeleted);

/// <summary>
/// Content-addressed storage of uploaded 3D models. Channels write, Pricing and MES read by hash. It is a blob
/// store (a folder here, object storage in production), not another service's tables. A channel receives a model
/// into a temporary area first (<see cref="StageAsync"/>) and commits it with a hold named after the order that
/// references it; models nobody holds are removed after <see cref="PrintFlowOptions.ModelRetention"/>.
/// </summary>
public interface IModelStore
{
    /// <summary>Stores a model without a hold (tools and tests): it is removed after the retention period.</summary>
    Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Receives a model into the temporary area, hashing it, up to <paramref name="maxBytes"/>.</summary>
    /// <exception cref="ModelTooLargeException">The content is longer than <paramref name="maxBytes"/>.</exception>
    Task<StagedModel> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Puts a staged model in the store, held by <paramref name="holder"/> (for example "shop-{orderId}").</summary>
    StoredModel Commit(StagedModel staged, string holder);

    bool Exists(string sha256);
    string PathOf(string sha256);

    /// <summary>
    /// Deletes models that nobody holds and that were written more than <paramref name="retention"/> before
    /// <paramref name="now"/>, and temporary files as old. Models written before holds existed are kept.
    /// </summary>
    Task<SweepReport> SweepAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken);
}

public sealed class FileModelStore : IModelStore
{
    private const string TemporaryPrefix = ".upload-";
    private const string TombstonePrefix = ".sweep-";
    private const string HoldInfix = ".hold.";
    private const string SinceMarker = ".retention-since";
    private readonly string _root;
    private readonly long _maxBytes;
    private readonly DateTimeOffset _retentionSince;

    public FileModelStore(IOptions<PrintFlowOptions> options, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock)
    {
        _root = Path.Combine(DataDirectory.Resolve(configuration, environment), "models");
        _maxBytes = options.Value.MaxModelBytes;
        Directory.CreateDirectory(_root);
        _retentionSince = ReadOrWriteSince(Path.Combine(_root, SinceMarker), clock.GetUtcNow());
    }

    public async Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        using var staged = await StageAsync(content, _maxBytes, cancellationToken);
        var target = PathOf(staged.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Move(staged.TemporaryPath, target, overwrite: true);
        return new StoredModel(staged.Sha256, staged.SizeBytes);
    }

    public async Task<StagedModel> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        // Stream to a temporary file while hashing: a large model is never held in memory whole.
        var temporary = Path.Combine(_root, $"{TemporaryPrefix}{Guid.NewGuid():N}");
        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var limit = Math.Min(maxBytes, _maxBytes);
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
                        if (size > limit)
                        {
                            throw new ModelTooLargeException(limit);
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

            return new StagedModel(temporary, Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public StoredModel Commit(StagedModel staged, string holder)
    {
        // The hold goes first: a sweep that finds no hold re-checks after moving the model aside (see SweepAsync).
        Hold(staged.Sha256, holder);
        var target = PathOf(staged.Sha256);
        if (!File.Exists(target))
        {
            File.Move(staged.TemporaryPath, target, overwrite: true);
        }

        return new StoredModel(staged.Sha256, staged.SizeBytes);
    }

    /// <summary>Marks the model as referenced by <paramref name="holder"/>; a held model is never swept.</summary>
    public void Hold(string sha256, string holder)
    {
        if (holder.Length is 0 or > 80 || !holder.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException("A holder is 1 to 80 characters of a-z, 0-9 and '-'.", nameof(holder));
        }

        var target = PathOf(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using (new FileStream(target + HoldInfix + holder, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
        {
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

    public Task<SweepReport> SweepAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = (now - retention).UtcDateTime;
        int models = 0, temporaries = 0;
        long bytes = 0;
        foreach (var file in new DirectoryInfo(_root).EnumerateFiles())
        {
            if ((file.Name.StartsWith(TemporaryPrefix, StringComparison.Ordinal) || file.Name.StartsWith(TombstonePrefix, StringComparison.Ordinal))
                && file.LastWriteTimeUtc < cutoff && TryDelete(file.FullName))
            {
                temporaries++;
            }
        }

        foreach (var folder in new DirectoryInfo(_root).EnumerateDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var files = folder.EnumerateFiles().ToList();
            var held = files.Where(f => f.Name.Contains(HoldInfix, StringComparison.Ordinal))
                .Select(f => f.Name[..f.Name.IndexOf(HoldInfix, StringComparison.Ordinal)])
                .ToHashSet(StringComparer.Ordinal);
            foreach (var model in files)
            {
                if (model.Name.Length != 64 || held.Contains(model.Name)
                    || model.LastWriteTimeUtc >= cutoff || model.LastWriteTimeUtc < _retentionSince.UtcDateTime)
                {
                    continue;
                }

                if (TryRemoveUnheld(model))
                {
                    models++;
                    bytes += model.Length;
                }
            }
        }

        return Task.FromResult(new SweepReport(models, bytes, temporaries));
    }

    /// <summary>
    /// Moves the model aside, then looks for a hold again: a channel that committed meanwhile either finds the model
    /// gone and writes its own copy, or wrote its hold before the move, in which case the model is put back.
    /// </summary>
    private bool TryRemoveUnheld(FileInfo model)
    {
        var tombstone = Path.Combine(_root, $"{TombstonePrefix}{model.Name}-{Guid.NewGuid():N}");
        try
        {
            File.Move(model.FullName, tombstone);
        }
        catch (IOException)
        {
            return false; // another sweeper took it, or it is gone
        }

        if (Directory.EnumerateFiles(model.DirectoryName!, model.Name + HoldInfix + "*").Any())
        {
            try
            {
                File.Move(tombstone, model.FullName, overwrite: false);
            }
            catch (IOException)
            {
                TryDelete(tombstone); // the committing channel already put its own copy back
            }

            return false;
        }

        return TryDelete(tombstone);
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Models written before the store kept holds may belong to orders, so the sweeper never touches them.</summary>
    private static DateTimeOffset ReadOrWriteSince(string path, DateTimeOffset now)
    {
        if (!File.Exists(path))
        {
            // Written aside and renamed into place: a process starting at the same moment reads a whole stamp or none.
            var draft = $"{path}-{Guid.NewGuid():N}";
            File.WriteAllText(draft, now.ToString("O", CultureInfo.InvariantCulture));
            try
            {
                File.Move(draft, path, overwrite: false);
                return now;
            }
            catch (IOException)
            {
                File.Delete(draft);
            }
        }

        return DateTimeOffset.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since)
            ? since
            : now;
    }
}
