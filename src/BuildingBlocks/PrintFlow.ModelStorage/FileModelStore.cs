using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.ModelStorage;

/// <summary>The embedded default (<c>ModelStore:Provider=Files</c>): models in <c>{DataDirectory}/models/ab/abcd…</c>.</summary>
public sealed class FileModelStore : IModelStore
{
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
        File.Move(staged.TemporaryFile(), target, overwrite: true);
        return new StoredModel(staged.Sha256, staged.SizeBytes);
    }

    public Task<StagedModel> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        LocalFiles.StageAsync(_root, content, Math.Min(maxBytes, _maxBytes), cancellationToken);

    public Task<StoredModel> CommitAsync(StagedModel staged, string holder, CancellationToken cancellationToken)
    {
        // The hold goes first: a sweep that finds no hold re-checks after moving the model aside (see SweepAsync).
        Hold(staged.Sha256, holder);
        var target = PathOf(staged.Sha256);
        if (!File.Exists(target))
        {
            File.Move(staged.TemporaryFile(), target, overwrite: true);
        }

        return Task.FromResult(new StoredModel(staged.Sha256, staged.SizeBytes));
    }

    public Task<bool> HoldAsync(string sha256, string holder, CancellationToken cancellationToken)
    {
        // The hold goes first, as in CommitAsync: a sweep that moved the model aside meanwhile puts it back.
        Hold(sha256, holder);
        if (File.Exists(PathOf(sha256)))
        {
            return Task.FromResult(true);
        }

        LocalFiles.TryDelete(PathOf(sha256) + HoldInfix + holder);
        return Task.FromResult(false);
    }

    public Task ReleaseAsync(string sha256, string holder, CancellationToken cancellationToken)
    {
        LocalFiles.ValidateHolder(holder);
        LocalFiles.TryDelete(PathOf(sha256) + HoldInfix + holder);
        return Task.CompletedTask;
    }

    /// <summary>Marks the model as referenced by <paramref name="holder"/>; a held model is never swept.</summary>
    private void Hold(string sha256, string holder)
    {
        LocalFiles.ValidateHolder(holder);
        var target = PathOf(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using (new FileStream(target + HoldInfix + holder, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite))
        {
        }
    }

    public Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(sha256)));

    /// <summary>The stored file is read in place: the folder is local and written only through this store.</summary>
    public Task<ModelFile> OpenFileAsync(string sha256, CancellationToken cancellationToken)
    {
        var info = new FileInfo(PathOf(sha256));
        return info.Exists
            ? Task.FromResult(new ModelFile(info.FullName, info.Length, temporary: false))
            : throw new FileNotFoundException($"The model {sha256} is not in the model store.", info.FullName);
    }

    public string PathOf(string sha256)
    {
        var normalized = LocalFiles.Normalize(sha256);
        return Path.Combine(_root, normalized[..2], normalized);
    }

    public Task<SweepReport> SweepAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = (now - retention).UtcDateTime;
        int models = 0;
        long bytes = 0;
        var temporaries = LocalFiles.SweepTemporaries(_root, cutoff, LocalFiles.TemporaryPrefix, TombstonePrefix);
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
                LocalFiles.TryDelete(tombstone); // the committing channel already put its own copy back
            }

            return false;
        }

        return LocalFiles.TryDelete(tombstone);
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
