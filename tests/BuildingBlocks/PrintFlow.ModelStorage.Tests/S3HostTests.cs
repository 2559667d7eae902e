using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.Partners.Tests;
using PrintFlow.Testing;

namespace PrintFlow.ModelStorage.Tests;

/// <summary>The real host with <c>ModelStore:Provider=S3</c>: a partner's model goes to the bucket and Pricing reads it from there.</summary>
[Trait("Category", "Infrastructure")]
[Collection(S3Collection.Name)]
public sealed class S3HostTests(S3Server server)
{
    [Fact]
    public async Task PartnerOrder_WithTheS3Store_IsPricedFromTheBucket()
    {
        var s3 = await server.NewBucketAsync();
        using var host = new PrintFlowHost(Settings(s3));
        using var client = PartnerApi.ClientWithKey(host, PartnerApi.DemoKey);

        var created = await PartnerApi.CreateOrderAsync(client);

        var quoted = await Eventually.UntilAsync(
            () => PartnerApi.GetOrderAsync(client, created.Id), o => o.Status == "Quoted", "the order is quoted");
        Assert.True(quoted.Quote!.Amount > 0);
        Assert.IsType<S3ModelStore>(host.Services.GetRequiredService<IModelStore>());
        Assert.False(Directory.Exists(Path.Combine(host.DataDirectory, "models")), "no model was written to the local model folder");
        using var bucket = server.Client(s3);
        var keys = (await bucket.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = s3.Bucket })).S3Objects.Select(o => o.Key).ToList();
        Assert.Contains(keys, k => k.StartsWith("models/", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.StartsWith("holds/", StringComparison.Ordinal) && k.EndsWith($"/partners-{created.Id:N}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Provider=S3", "ModelStore:S3:Bucket is required")]
    [InlineData("Provider=S3;S3:Bucket=b;S3:AccessKeyId=k", "needs both an access key id and a secret access key")]
    [InlineData("Provider=S3;S3:Bucket=b;S3:ServiceUrl=ftp://x", "must be an absolute http(s) address")]
    [InlineData("Provider=S3;S3:Bucket=b;S3:PartSizeBytes=1024", "PartSizeBytes must be between")]
    [InlineData("Provider=S3;S3:Bucket=b;S3:AccessKeyIdFile=/nonexistent/id;S3:SecretAccessKey=s", "does not exist")]
    public void Options_WhenTheS3SettingsCannotWork_AreRefusedNamingTheSetting(string settings, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Split(';')
            .Select(s => s.Split('=')).Select(kv => KeyValuePair.Create("ModelStore:" + kv[0], (string?)kv[1]))).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddModelStore().BuildServiceProvider();

        var refusal = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ModelStoreOptions>>().Value);

        Assert.Contains(expected, refusal.Message);
    }

    private Dictionary<string, string?> Settings(S3ModelStoreOptions s3) => new()
    {
        ["ModelStore:Provider"] = "S3",
        ["ModelStore:S3:Bucket"] = s3.Bucket,
        ["ModelStore:S3:ServiceUrl"] = s3.ServiceUrl,
        ["ModelStore:S3:ForcePathStyle"] = "true",
        ["ModelStore:S3:AccessKeyId"] = S3Server.AccessKey,
        ["ModelStore:S3:SecretAccessKey"] = S3Server.AccessKey,
    };
}
