using System.Security.Cryptography;
using Amazon.S3.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;
using Xunit.Abstractions;

namespace PrintFlow.ModelStorage.Tests;

/// <summary>The S3 model store against a real S3-speaking server (s3rver).</summary>
[Trait("Category", "Infrastructure")]
[Collection(S3Collection.Name)]
public sealed class S3ModelStoreTests(S3Server server, ITestOutputHelper output) : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task SaveAndRead_WhenStored_ExistsReadsBackVerifiedAndLeavesNoLocalFiles()
    {
        var (store, _) = await NewStoreAsync();
        var model = StlFiles.BinaryCube(12);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(model));
        Assert.False(await store.ExistsAsync(sha256, CancellationToken.None));

        var stored = await store.SaveAsync(new MemoryStream(model), CancellationToken.None);

        Assert.Equal((sha256, (long)model.Length), (stored.Sha256, stored.SizeBytes));
        Assert.True(await store.ExistsAsync(sha256.ToUpperInvariant(), CancellationToken.None));
        string path;
        using (var file = await store.OpenFileAsync(sha256, CancellationToken.None))
        {
            path = file.Path;
            Assert.Equal(model, await File.ReadAllBytesAsync(file.Path));
        }

        Assert.False(File.Exists(path), "the download is removed once read");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models-staging")));
    }

    [Fact]
    public async Task OpenFile_WhenMissing_ThrowsFileNotFound()
    {
        var (store, _) = await NewStoreAsync();

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenFileAsync(new string('a', 64), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenFileAsync("../../etc/passwd", CancellationToken.None));
    }

    [Fact]
    public async Task OpenFile_WhenTheObjectWasTamperedWith_ThrowsModelCorruptAndKeepsNoCopy()
    {
        var (store, options) = await NewStoreAsync();
        var sha256 = (await store.SaveAsync(new MemoryStream(StlFiles.BinaryCube(13)), CancellationToken.None)).Sha256;
        using (var client = server.Client(options))
        {
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = options.Bucket, Key = $"models/{sha256[..2]}/{sha256}", ContentBody = "solid evil", UseChunkEncoding = false,
            });
        }

        await Assert.ThrowsAsync<ModelCorruptException>(() => store.OpenFileAsync(sha256, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models-staging")));
    }

    [Fact]
    public async Task Stage_WhenLongerThanTheLimit_ThrowsAndLeavesNothing()
    {
        var (store, options) = await NewStoreAsync();

        await Assert.ThrowsAsync<ModelTooLargeException>(() => store.StageAsync(new MemoryStream(new byte[2000]), 1000, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models-staging")));
        using var client = server.Client(options);
        Assert.Empty((await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket })).S3Objects ?? []);
    }

    [Fact]
    public async Task Save_WhenTheModelIsLarge_StreamsItInPartsWithBoundedMemory()
    {
        const long size = 96L * 1024 * 1024;
        var (store, options) = await NewStoreAsync(partSizeBytes: 8L * 1024 * 1024);
        var content = new PatternStream(size);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stored = await store.SaveAsync(content, CancellationToken.None);
        var uploadAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.Equal(size, stored.SizeBytes);
        Assert.Equal(content.Sha256, stored.Sha256);
        using (var client = server.Client(options))
        {
            var head = await client.GetObjectMetadataAsync(options.Bucket, $"models/{stored.Sha256[..2]}/{stored.Sha256}");
            Assert.Equal(size, head.ContentLength);
        }

        allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using (var file = await store.OpenFileAsync(stored.Sha256, CancellationToken.None))
        {
            Assert.Equal(size, new FileInfo(file.Path).Length);
        }

        var downloadAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        output.WriteLine($"{size / (1024 * 1024)} MiB model: upload allocated {uploadAllocated / (1024 * 1024.0):F1} MiB, download {downloadAllocated / (1024 * 1024.0):F1} MiB (process-wide)");
        Assert.True(uploadAllocated < size / 3, $"the upload allocated {uploadAllocated} bytes for a {size}-byte model");
        Assert.True(downloadAllocated < size / 3, $"the download allocated {downloadAllocated} bytes for a {size}-byte model");
    }

    [Fact]
    public async Task Sweep_RemovesOldUnheldModels_KeepsHeldOnesAndTheFreshUntilTheirTime()
    {
        var (store, _) = await NewStoreAsync();
        var held = await CommitAsync(store, StlFiles.BinaryCube(21), "shop-0123456789abcdef0123456789abcdef");
        var unheld = (await store.SaveAsync(new MemoryStream(StlFiles.BinaryCube(22)), CancellationToken.None)).Sha256;
        var retention = TimeSpan.FromHours(24);
        var now = DateTimeOffset.UtcNow;

        var early = await store.SweepAsync(now, retention, CancellationToken.None);

        Assert.Equal(0, early.ModelsDeleted);
        Assert.True(await store.ExistsAsync(unheld, CancellationToken.None), "a model younger than the retention stays");

        var late = await store.SweepAsync(now + TimeSpan.FromHours(25), retention, CancellationToken.None);

        Assert.Equal(1, late.ModelsDeleted);
        Assert.False(await store.ExistsAsync(unheld, CancellationToken.None), "an old model no order holds is removed");
        Assert.True(await store.ExistsAsync(held, CancellationToken.None), "a model an order holds stays");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_data, "models-staging")));
    }

    [Fact]
    public async Task Commit_WhenTheModelWasSweptMeanwhile_UploadsItAgain()
    {
        var (store, _) = await NewStoreAsync();
        var bytes = StlFiles.BinaryCube(23);
        var sha256 = (await store.SaveAsync(new MemoryStream(bytes), CancellationToken.None)).Sha256;
        await store.SweepAsync(DateTimeOffset.UtcNow + TimeSpan.FromHours(25), TimeSpan.FromHours(24), CancellationToken.None);
        Assert.False(await store.ExistsAsync(sha256, CancellationToken.None));
        using var staged = await store.StageAsync(new MemoryStream(bytes), 1_000_000, CancellationToken.None); // a customer uploads it again

        await store.CommitAsync(staged, "partners-0123456789abcdef0123456789abcdef", CancellationToken.None);

        using var file = await store.OpenFileAsync(sha256, CancellationToken.None);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(file.Path));
    }

    [Fact]
    public async Task Commit_WhenTheHolderIsNotASafeName_Throws()
    {
        var (store, _) = await NewStoreAsync();
        using var staged = await store.StageAsync(new MemoryStream(StlFiles.BinaryCube(24)), 1_000_000, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(staged, "../models/x", CancellationToken.None));
    }

    private static async Task<string> CommitAsync(IModelStore store, byte[] bytes, string holder)
    {
        using var staged = await store.StageAsync(new MemoryStream(bytes), 1_000_000, CancellationToken.None);
        return (await store.CommitAsync(staged, holder, CancellationToken.None)).Sha256;
    }

    private async Task<(S3ModelStore Store, S3ModelStoreOptions Options)> NewStoreAsync(long partSizeBytes = 5L * 1024 * 1024)
    {
        var options = await server.NewBucketAsync(partSizeBytes);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PrintFlow:DataDirectory"] = _data })
            .Build();
        var store = new S3ModelStore(
            Options.Create(new ModelStoreOptions { Provider = ModelStoreProvider.S3, S3 = options }),
            Options.Create(new PrintFlowOptions()), configuration,
            new HostingEnvironment { ContentRootPath = Path.GetTempPath() });
        return (store, options);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    /// <summary>A model of any length generated as it is read, hashed on the way: the test holds none of it.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;

        public string Sha256 => Convert.ToHexStringLower(_hash.GetCurrentHash());
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = (byte)((_position + i) * 31 % 251);
            }

            _hash.AppendData(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
