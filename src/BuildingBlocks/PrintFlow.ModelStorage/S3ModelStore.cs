using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults;

namespace PrintFlow.ModelStorage;

/// <summary>
/// The distributed layout (<c>ModelStore:Provider=S3</c>): models in an S3-compatible bucket under
/// <c>{prefix}models/ab/abcd…</c>, holds as empty objects <c>{prefix}holds/{sha}/{holder}</c>. Uploads are received
/// and hashed on local disk first, so only verified bytes reach their content address, then sent in parts. Every
/// model in a bucket was committed with its hold, so unlike the file store there is no "written before holds" age.
/// </summary>
public sealed class S3ModelStore : IModelStore, IDisposable
{
    private const string SweepPrefix = ".sweep-";
    private readonly IAmazonS3 _s3;
    private readonly S3ModelStoreOptions _options;
    private readonly string _bucket;
    private readonly string _staging;
    private readonly long _maxBytes;

    public S3ModelStore(IOptions<ModelStoreOptions> options, IOptions<PrintFlowOptions> printFlow, IConfiguration configuration,
        IHostEnvironment environment)
    {
        _options = options.Value.S3;
        _bucket = _options.Bucket!;
        _maxBytes = printFlow.Value.MaxModelBytes;
        _staging = Path.Combine(DataDirectory.Resolve(configuration, environment), "models-staging");
        Directory.CreateDirectory(_staging);
        _s3 = CreateClient(_options);
    }

    public static AmazonS3Client CreateClient(S3ModelStoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Integrity is ours (SHA-256 of every model, checked on read); the SDK's default trailing checksums are
            // not understood by every S3-compatible server.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        var keyId = Secret(options.AccessKeyId, options.AccessKeyIdFile);
        return keyId is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(keyId, Secret(options.SecretAccessKey, options.SecretAccessKeyFile)), config);
    }

    private static string? Secret(string? value, string? file) =>
        !string.IsNullOrEmpty(file) ? File.ReadAllText(file).Trim() : string.IsNullOrEmpty(value) ? null : value;

    public async Task<StoredModel> SaveAsync(Stream content, CancellationToken cancellationToken)
    {
        using var staged = await StageAsync(content, _maxBytes, cancellationToken);
        if (!await ExistsAsync(staged.Sha256, cancellationToken))
        {
            await UploadAsync(staged.TemporaryFile(), staged.Sha256, staged.SizeBytes, cancellationToken);
        }

        return new StoredModel(staged.Sha256, staged.SizeBytes);
    }

    public Task<StagedModel> StageAsync(Stream content, long maxBytes, CancellationToken cancellationToken) =>
        LocalFiles.StageAsync(_staging, content, Math.Min(maxBytes, _maxBytes), cancellationToken);

    public async Task<StoredModel> CommitAsync(StagedModel staged, string holder, CancellationToken cancellationToken)
    {
        LocalFiles.ValidateHolder(holder);
        // The hold goes first: a sweep that finds no hold looks again after deleting, and puts the model back (SweepAsync).
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = HoldKey(staged.Sha256, holder), ContentBody = "", UseChunkEncoding = false,
        }, cancellationToken);
        if (!await ExistsAsync(staged.Sha256, cancellationToken))
        {
            await UploadAsync(staged.TemporaryFile(), staged.Sha256, staged.SizeBytes, cancellationToken);
        }

        return new StoredModel(staged.Sha256, staged.SizeBytes);
    }

    public async Task<bool> HoldAsync(string sha256, string holder, CancellationToken cancellationToken)
    {
        LocalFiles.ValidateHolder(holder);
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = HoldKey(sha256, holder), ContentBody = "", UseChunkEncoding = false,
        }, cancellationToken);
        if (await ExistsAsync(sha256, cancellationToken))
        {
            return true;
        }

        await _s3.DeleteObjectAsync(_bucket, HoldKey(sha256, holder), cancellationToken);
        return false;
    }

    public async Task ReleaseAsync(string sha256, string holder, CancellationToken cancellationToken)
    {
        LocalFiles.ValidateHolder(holder);
        await _s3.DeleteObjectAsync(_bucket, HoldKey(sha256, holder), cancellationToken);
    }

    public async Task<bool> ExistsAsync(string sha256, CancellationToken cancellationToken) =>
        await HeadAsync(ModelKey(sha256), cancellationToken) is not null;

    public async Task<ModelFile> OpenFileAsync(string sha256, CancellationToken cancellationToken)
    {
        var normalized = LocalFiles.Normalize(sha256);
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(_bucket, ModelKey(normalized), cancellationToken);
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            throw new FileNotFoundException($"The model {sha256} is not in the model store.", ModelKey(normalized), missing);
        }

        // Downloaded as it arrives and hashed on the way: the object must still be what its address says.
        var path = Path.Combine(_staging, $"{LocalFiles.DownloadPrefix}{Guid.NewGuid():N}");
        using (response)
        {
            var (actual, size) = await LocalFiles.CopyHashingAsync(response.ResponseStream, path, long.MaxValue, cancellationToken);
            if (actual != normalized)
            {
                LocalFiles.TryDelete(path);
                throw new ModelCorruptException(normalized);
            }

            return new ModelFile(path, size, temporary: true);
        }
    }

    public async Task<SweepReport> SweepAsync(DateTimeOffset now, TimeSpan retention, CancellationToken cancellationToken)
    {
        var cutoff = (now - retention).UtcDateTime;
        var temporaries = LocalFiles.SweepTemporaries(_staging, cutoff, LocalFiles.TemporaryPrefix, LocalFiles.DownloadPrefix, SweepPrefix);
        var held = (await ListAsync(_options.Prefix + "holds/", cancellationToken))
            .Select(o => o.Key[(_options.Prefix.Length + "holds/".Length)..].Split('/')[0])
            .ToHashSet(StringComparer.Ordinal);
        int models = 0;
        long bytes = 0;
        foreach (var model in await ListAsync(_options.Prefix + "models/", cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sha256 = model.Key[(model.Key.LastIndexOf('/') + 1)..];
            var written = model.LastModified?.ToUniversalTime() ?? DateTime.MaxValue;
            if (sha256.Length != 64 || held.Contains(sha256) || written >= cutoff)
            {
                continue;
            }

            if (await TryRemoveUnheldAsync(sha256, model.Key, cancellationToken))
            {
                models++;
                bytes += model.Size ?? 0;
            }
        }

        return new SweepReport(models, bytes, temporaries);
    }

    /// <summary>
    /// Downloads the model aside (local disk), deletes it, then looks for a hold again: a channel that committed
    /// meanwhile either found the model gone and uploaded its own copy, or wrote its hold before the delete, and the
    /// model is put back. Not a server-side copy: S3-compatible servers disagree on how <c>x-amz-copy-source</c> is
    /// encoded, and only abandoned uploads are swept, so the download is rare.
    /// </summary>
    private async Task<bool> TryRemoveUnheldAsync(string sha256, string key, CancellationToken cancellationToken)
    {
        var aside = Path.Combine(_staging, $"{SweepPrefix}{Guid.NewGuid():N}");
        long size;
        try
        {
            using var response = await _s3.GetObjectAsync(_bucket, key, cancellationToken);
            (_, size) = await LocalFiles.CopyHashingAsync(response.ResponseStream, aside, long.MaxValue, cancellationToken);
        }
        catch (AmazonS3Exception gone) when (gone.StatusCode == HttpStatusCode.NotFound)
        {
            return false; // another sweeper took it
        }

        try
        {
            await _s3.DeleteObjectAsync(_bucket, key, cancellationToken);
            var holds = await _s3.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _bucket, Prefix = $"{_options.Prefix}holds/{sha256}/", MaxKeys = 1,
            }, CancellationToken.None);
            if (holds.S3Objects is not { Count: > 0 })
            {
                return true;
            }

            if (await HeadAsync(key, CancellationToken.None) is null)
            {
                await UploadAsync(aside, sha256, size, CancellationToken.None);
            }

            return false;
        }
        finally
        {
            LocalFiles.TryDelete(aside);
        }
    }

    /// <summary>One request below a part's size; above it, a multipart upload read from the staged file part by part.</summary>
    private async Task UploadAsync(string path, string sha256, long size, CancellationToken cancellationToken)
    {
        var key = ModelKey(sha256);
        if (size <= _options.PartSizeBytes)
        {
            await _s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket, Key = key, FilePath = path, UseChunkEncoding = false,
            }, cancellationToken);
            return;
        }

        var upload = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            for (long position = 0, number = 1; position < size; position += _options.PartSizeBytes, number++)
            {
                var part = await _s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartNumber = (int)number,
                    FilePath = path, FilePosition = position,
                    PartSize = Math.Min(_options.PartSizeBytes, size - position), UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag((int)number, part.ETag));
            }

            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = key, UploadId = upload.UploadId, PartETags = parts,
            }, cancellationToken);
        }
        catch
        {
            await _s3.AbortMultipartUploadAsync(_bucket, key, upload.UploadId, CancellationToken.None);
            throw;
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _s3.GetObjectMetadataAsync(_bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception missing) when (missing.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<List<S3Object>> ListAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return objects;
    }

    private string ModelKey(string sha256)
    {
        var normalized = LocalFiles.Normalize(sha256);
        return $"{_options.Prefix}models/{normalized[..2]}/{normalized}";
    }

    private string HoldKey(string sha256, string holder) => $"{_options.Prefix}holds/{LocalFiles.Normalize(sha256)}/{holder}";

    public void Dispose() => _s3.Dispose();
}
