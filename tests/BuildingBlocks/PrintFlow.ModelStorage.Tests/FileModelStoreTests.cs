using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using PrintFlow.ServiceDefaults;
using PrintFlow.Testing;

namespace PrintFlow.ModelStorage.Tests;

/// <summary>The embedded file store's staging: small models in memory, larger ones streamed to a temporary file.</summary>
public sealed class FileModelStoreTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Commit_WhenASmallModelIsAlreadyStored_WritesNoFileButTheHold()
    {
        var store = NewStore();
        var model = StlFiles.BinaryCube(12);
        await CommitAsync(store, model, "partners-first");
        var before = Directory.EnumerateFiles(ModelsFolder, "*", SearchOption.AllDirectories).Count();

        using (var staged = await store.StageAsync(new MemoryStream(model), 1_000_000, CancellationToken.None))
        {
            Assert.Empty(Directory.EnumerateFiles(ModelsFolder, ".upload-*"));
            await store.CommitAsync(staged, "partners-second", CancellationToken.None);
        }

        Assert.Equal(before + 1, Directory.EnumerateFiles(ModelsFolder, "*", SearchOption.AllDirectories).Count());
        Assert.Empty(Directory.EnumerateFiles(ModelsFolder, ".upload-*"));
        using var file = await store.OpenFileAsync(Convert.ToHexStringLower(SHA256.HashData(model)), CancellationToken.None);
        Assert.Equal(model, await File.ReadAllBytesAsync(file.Path));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(StagedModel.InMemoryBytes)]
    [InlineData(StagedModel.InMemoryBytes + 1)]
    [InlineData(3 * StagedModel.InMemoryBytes + 17)]
    public async Task StageAndCommit_OnEitherSideOfTheInMemorySize_StoresTheExactBytes(int length)
    {
        var store = NewStore();
        var model = RandomNumberGenerator.GetBytes(length);

        var sha256 = await CommitAsync(store, model, "shop-order");

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(model)), sha256);
        Assert.Equal(model, await File.ReadAllBytesAsync(store.PathOf(sha256)));
        Assert.Empty(Directory.EnumerateFiles(ModelsFolder, ".upload-*"));
    }

    [Theory]
    [InlineData(1000, 2000)]
    [InlineData(StagedModel.InMemoryBytes + 10, StagedModel.InMemoryBytes + 11)]
    [InlineData(2 * StagedModel.InMemoryBytes, 3 * StagedModel.InMemoryBytes)]
    public async Task Stage_WhenLongerThanTheLimit_ThrowsAndLeavesNoTemporaryFile(int limit, int length)
    {
        var store = NewStore();

        await Assert.ThrowsAsync<ModelTooLargeException>(() => store.StageAsync(new MemoryStream(new byte[length]), limit, CancellationToken.None));

        Assert.Empty(Directory.EnumerateFiles(ModelsFolder, ".upload-*"));
    }

    [Fact]
    public async Task Dispose_WhenALargeModelWasNotCommitted_RemovesItsTemporaryFile()
    {
        var store = NewStore();

        using (await store.StageAsync(new MemoryStream(new byte[StagedModel.InMemoryBytes + 1]), 1_000_000, CancellationToken.None))
        {
            Assert.Single(Directory.EnumerateFiles(ModelsFolder, ".upload-*"));
        }

        Assert.Empty(Directory.EnumerateFiles(ModelsFolder, ".upload-*"));
    }

    private string ModelsFolder => Path.Combine(_data, "models");

    private static async Task<string> CommitAsync(IModelStore store, byte[] bytes, string holder)
    {
        using var staged = await store.StageAsync(new MemoryStream(bytes), 1_000_000, CancellationToken.None);
        return (await store.CommitAsync(staged, holder, CancellationToken.None)).Sha256;
    }

    private FileModelStore NewStore()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PrintFlow:DataDirectory"] = _data })
            .Build();
        return new FileModelStore(Options.Create(new PrintFlowOptions()), configuration,
            new HostingEnvironment { ContentRootPath = Path.GetTempPath() }, TimeProvider.System);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
