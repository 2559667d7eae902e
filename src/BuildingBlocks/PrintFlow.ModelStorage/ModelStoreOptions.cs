using Microsoft.Extensions.Options;

namespace PrintFlow.ModelStorage;

public enum ModelStoreProvider
{
    /// <summary>A folder under the data directory: the embedded default, one machine.</summary>
    Files,

    /// <summary>An S3-compatible bucket (AWS S3, MinIO, Ceph…): the distributed layout, any number of machines.</summary>
    S3,
}

/// <summary>The <c>ModelStore</c> section: where models live (docs/decisions/0021-model-storage-and-shared-keys.md).</summary>
public sealed class ModelStoreOptions
{
    public const string Section = "ModelStore";
    public const long MinPartSizeBytes = 5L * 1024 * 1024;
    public const long MaxPartSizeBytes = 512L * 1024 * 1024;

    public ModelStoreProvider Provider { get; set; } = ModelStoreProvider.Files;

    public S3ModelStoreOptions S3 { get; set; } = new();
}

public sealed class S3ModelStoreOptions
{
    public string? Bucket { get; set; }

    /// <summary>The endpoint of an S3-compatible server (MinIO, Ceph); empty for AWS, which the region then names.</summary>
    public string? ServiceUrl { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>Addresses the bucket in the path (<c>http://host/bucket/key</c>), as most self-hosted servers need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Keys start with this (for example <c>prod/</c>) so environments may share a bucket.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>
    /// Credentials: the key id and secret here, or in the files named (a mounted secret), or else the SDK's own chain
    /// (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token in Kubernetes, an instance role).
    /// </summary>
    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }
    public string? AccessKeyIdFile { get; set; }
    public string? SecretAccessKeyFile { get; set; }

    /// <summary>Models larger than one part go up in parts of this size, one part in memory at a time at most.</summary>
    public long PartSizeBytes { get; set; } = 16L * 1024 * 1024;
}

/// <summary>Refuses to start with a store that cannot work, naming the setting to fix.</summary>
public sealed class ModelStoreOptionsValidator : IValidateOptions<ModelStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelStoreOptions options)
    {
        if (options.Provider != ModelStoreProvider.S3)
        {
            return Enum.IsDefined(options.Provider)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("ModelStore:Provider must be Files or S3.");
        }

        var s3 = options.S3;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            errors.Add("ModelStore:S3:Bucket is required when ModelStore:Provider is S3.");
        }

        if (!string.IsNullOrEmpty(s3.ServiceUrl)
            && (!Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"ModelStore:S3:ServiceUrl must be an absolute http(s) address, not '{s3.ServiceUrl}'.");
        }

        if (s3.PartSizeBytes is < ModelStoreOptions.MinPartSizeBytes or > ModelStoreOptions.MaxPartSizeBytes)
        {
            errors.Add($"ModelStore:S3:PartSizeBytes must be between {ModelStoreOptions.MinPartSizeBytes} and {ModelStoreOptions.MaxPartSizeBytes} (S3 parts are at least 5 MiB).");
        }

        if (s3.Prefix.Length > 0 && (s3.Prefix.StartsWith('/') || !s3.Prefix.EndsWith('/')))
        {
            errors.Add("ModelStore:S3:Prefix must end with '/' and not start with one.");
        }

        var keyId = !string.IsNullOrEmpty(s3.AccessKeyId) || !string.IsNullOrEmpty(s3.AccessKeyIdFile);
        var secret = !string.IsNullOrEmpty(s3.SecretAccessKey) || !string.IsNullOrEmpty(s3.SecretAccessKeyFile);
        if (keyId != secret)
        {
            errors.Add("ModelStore:S3 needs both an access key id and a secret access key, or neither (the SDK's credential chain).");
        }

        foreach (var file in new[] { s3.AccessKeyIdFile, s3.SecretAccessKeyFile })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(file))
            {
                errors.Add($"The credentials file '{file}' named in ModelStore:S3 does not exist.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
