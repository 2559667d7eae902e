using System.Security.Cryptography;

namespace PrintFlow.ModelStorage;

/// <summary>A model as stored: addressed by the SHA-256 of its bytes, so the same model is stored once.</summary>
public sealed record StoredModel(string Sha256, long SizeBytes);

public sealed class ModelTooLargeException(long limit) : Exception($"The model is larger than the limit of {limit / (1024 * 1024)} MiB.")
{
    public long Limit { get; } = limit;
}

/// <summary>The stored bytes do not hash to the address they are stored under (a damaged or tampered object).</summary>
public sealed class ModelCorruptException(string sha256) : IOException($"The stored model {sha256} does not match its content address.");

/// <summary>
/// A model received into the store's temporary area, hashed but not yet in the store: a small one in memory, a larger
/// one in a temporary file. Disposing it removes the temporary file unless <see cref="IModelStore.CommitAsync"/> moved
/// it into the store.
/// </summary>
public sealed class StagedModel : IDisposable
{
    private readonly string _folder;
    private readonly byte[]? _content;
    private string? _temporaryPath;

    internal StagedModel(string folder, string? temporaryPath, byte[]? content, string sha256, long sizeBytes)
    {
        _folder = folder;
        _temporaryPath = temporaryPath;
        _content = content;
        Sha256 = sha256;
        SizeBytes = sizeBytes;
    }

    /// <summary>Up to this size a staged model stays in memory (a typical part is a few kilobytes to a few hundred).</summary>
    public const int InMemoryBytes = 64 * 1024;

    public string Sha256 { get; }
    public long SizeBytes { get; }

    /// <summary>
    /// The staged bytes as a temporary file, written now if they were held in memory: only a model the store does not
    /// have yet needs one, so a repeated model costs no file created and deleted.
    /// </summary>
    internal string TemporaryFile()
    {
        if (_temporaryPath is null)
        {
            var path = LocalFiles.NewTemporaryPath(_folder);
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(_content);
            }

            _temporaryPath = path;
        }

        return _temporaryPath;
    }

    public void Dispose()
    {
        if (_temporaryPath is { } path)
        {
            LocalFiles.TryDelete(path); // no-op once committed (moved away)
        }
    }
}

/// <summary>
/// A stored model as a local file, for readers that parse by path (3MF needs to seek). From the file store it is the
/// stored file itself; from object storage it is a verified download that disposing removes.
/// </summary>
public sealed class ModelFile(string path, long sizeBytes, bool temporary) : IDisposable
{
    public string Path { get; } = path;
    public long SizeBytes { get; } = sizeBytes;

    public void Dispose()
    {
        if (temporary)
        {
            LocalFiles.TryDelete(Path);
        }
    }
}

/// <summary>What one sweep of the store removed.</summary>
public sealed record SweepReport(int ModelsDeleted, long BytesDeleted, int TemporaryFilesDeleted);

/// <summary>
/// Content-addressed storage of uploaded 3D models. Channels write, Pricing reads by hash. It is a blob store (a folder
/// in the embedded default, S3-compatible object storage in the distributed layout, <c>ModelStore:Provider</c>), not
/// another service's tables. A channel receives a model into a local temporary area first (<see cref="StageAsync"/>)
/// and commits it with a hold named after the order that references it; models nobody holds are removed after
/// <c>PrintFlow:ModelRetention</c>.
/// </summary>
public interface IModelStore
{
    /// <summary>Stores a model without a hold (tools and tests): it is removed after the retention period.</summary>
    Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken);

    /// <summary>Receives a model into the temporary area, hashing it, up to <paramref name="maxBytes"/>.</summary>
    /// <exception cref="ModelTooLargeException">The content is longer than <paramref name="maxBytes"/>.</exception>
    Task<StagedModel> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken);

    /// <summary>Puts a staged model in the store, held by <paramref name="holder"/> (for example "shop-{orderId}").</summary>
    Task<StoredModel> CommitAsync(StagedModel staged, string holder, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a hold by <paramref name="holder"/> to a model already stored (a cart's model becomes an order's); false
    /// when the model is no longer there.
    /// </summary>
    Task<bool> HoldAsync(string sha256, string holder, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This model store cannot add holds to stored models.");

    /// <summary>Removes the hold by <paramref name="holder"/>; a model nobody holds any more is swept after the retention period.</summary>
    Task ReleaseAsync(string sha256, string holder, CancellationToken cancellationToken) =>
        throw new NotSupportedException("This model store cannot release holds.");

    /// <summary>The model as a local file; dispose it when read.</summary>
    /// <exception cref="FileNotFoundException">No model is stored under <paramref name="sha256"/>.</exception>
    /// <exception cref="ModelCorruptException">The stored bytes do not hash to <paramref name="sha256"/>.</exception>
    Task<ModelFile> OpenFileAsync(string sha256, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes models that nobody holds and that were written more than <paramref name="retention"/> before
    /// <paramref name="now"/>, and temporary files as old. Models written before holds existed are kept.
    /// </summary>
    Task<SweepReport> SweepAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken);
}

/// <summary>What both stores share: names, the streaming hash and the local temporary files.</summary>
internal static class LocalFiles
{
    public const string TemporaryPrefix = ".upload-";
    public const string DownloadPrefix = ".download-";
    private const int BufferBytes = 81920;

    public static string Normalize(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        }

        return sha256.ToLowerInvariant();
    }

    public static void ValidateHolder(string holder)
    {
        if (holder.Length is 0 or > 80 || !holder.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException("A holder is 1 to 80 characters of a-z, 0-9 and '-'.", nameof(holder));
        }
    }

    /// <summary>Streams <paramref name="content"/> to a new file while hashing it: a large model is never held in memory whole.</summary>
    public static async Task<(string Sha256, long Size)> CopyHashingAsync(
        Stream content, string path, long limit, CancellationToken cancellationToken, ReadOnlyMemory<byte> prefix = default)
    {
        long size = prefix.Length;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true);
            if (!prefix.IsEmpty)
            {
                hash.AppendData(prefix.Span);
                await file.WriteAsync(prefix, cancellationToken);
            }

            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferBytes);
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
        catch
        {
            TryDelete(path);
            throw;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }

    public static string NewTemporaryPath(string folder) => Path.Combine(folder, $"{TemporaryPrefix}{Guid.NewGuid():N}");

    /// <summary>
    /// Reads up to <see cref="StagedModel.InMemoryBytes"/> into memory; a model that ends there is hashed and kept in memory (each
    /// file created and deleted again cost the kernel more than the rest of the upload), a longer one is streamed on
    /// into a temporary file.
    /// </summary>
    public static async Task<StagedModel> StageAsync(string folder, Stream content, long limit, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(StagedModel.InMemoryBytes + 1);
        try
        {
            var held = 0;
            int read;
            while (held <= StagedModel.InMemoryBytes && (read = await content.ReadAsync(buffer.AsMemory(held, StagedModel.InMemoryBytes + 1 - held), cancellationToken)) > 0)
            {
                held += read;
                if (held > limit)
                {
                    throw new ModelTooLargeException(limit);
                }
            }

            if (held <= StagedModel.InMemoryBytes)
            {
                var bytes = buffer.AsSpan(0, held).ToArray();
                return new StagedModel(folder, null, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), held);
            }

            var temporary = NewTemporaryPath(folder);
            var (sha256, size) = await CopyHashingAsync(content, temporary, limit, cancellationToken, buffer.AsMemory(0, held));
            return new StagedModel(folder, temporary, null, sha256, size);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Removes temporary files older than <paramref name="cutoff"/> that a crashed request left behind.</summary>
    public static int SweepTemporaries(string folder, DateTime cutoff, params string[] prefixes)
    {
        var deleted = 0;
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
        {
            if (prefixes.Any(p => file.Name.StartsWith(p, StringComparison.Ordinal)) && file.LastWriteTimeUtc < cutoff && TryDelete(file.FullName))
            {
                deleted++;
            }
        }

        return deleted;
    }

    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false; // still open elsewhere: the sweeper removes stale temporary files
        }
    }
}
