using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Uploads;
using PrintFlow.Testing;
using Xunit.Abstractions;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class UploadLimitTests(PartnersFixture fixture, UploadQuotaFixture quota, ITestOutputHelper output)
    : IClassFixture<UploadQuotaFixture>
{
    [Fact]
    public async Task CreateOrder_WhenModelLargerThanLimit_Returns413()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:MaxModelBytes"] = "500" });
        using var client = PartnerApi.ClientWithKey(host, PartnerApi.DemoKey);

        using var response = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm(StlFiles.BinaryCube()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("upload.too-large", await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task CreateOrder_WhenFormInvalidAfterTheModel_StoresNothing()
    {
        var before = StoreFiles(fixture.Host);

        using var response = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(StlFiles.BinaryCube(41.5), material: "Unobtainium"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("material.invalid", await PartnerApi.ProblemCodeAsync(response));
        Assert.Equal(before, StoreFiles(fixture.Host)); // neither the model nor a temporary file is left
    }

    [Fact]
    public async Task CreateOrder_WithTenThousandBadFields_ListsAtMostTwentyProblems()
    {
        var before = StoreFiles(fixture.Host);
        using var form = PartnerApi.OrderForm(StlFiles.BinaryCube(42.5));
        var tooLong = new string('x', 2049); // one past the field limit
        for (var i = 0; i < 10_000; i++)
        {
            form.Add(new StringContent(tooLong), $"field{i}");
        }

        using var response = await PartnerApi.PostOrderAsync(fixture.Demo, form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await PartnerApi.ProblemAsync(response);
        Assert.InRange(problem.GetProperty("errors").GetArrayLength(), 1, 20);
        Assert.True(problem.GetProperty("errorsOmitted").GetInt32() > 0);
        Assert.Contains(problem.GetProperty("errors").EnumerateArray(), e => e.GetProperty("code").GetString() == "request.too-many-parts");
        Assert.Equal(before, StoreFiles(fixture.Host));
    }

    [Fact]
    public async Task CreateOrder_WhenModelsPerDayUsedUp_Returns429AndStoresNothing()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["Partners:UploadModelsPerDay"] = "1" });
        var partner = await PartnerApi.CreatePartnerAsync(host, "Quota Models Ltd");
        using var client = PartnerApi.ClientWithKey(host, partner.ApiKey);
        using (var first = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm(StlFiles.BinaryCube(11))))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        var before = StoreFiles(host);

        using var second = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm(StlFiles.BinaryCube(12)));

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var problem = await PartnerApi.ProblemAsync(second);
        Assert.Equal("upload.quota-exceeded", problem.GetProperty("code").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("at most 1 models", detail);
        Assert.Contains("Upload limit reached", detail);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(before, StoreFiles(host));
    }

    [Fact]
    public async Task CreateOrder_WhenModelsOutgrowTheBytesLeft_Returns429AndStoresNothing()
    {
        var partner = await PartnerApi.CreatePartnerAsync(quota.Host, "Quota Bytes Ltd");
        using var client = PartnerApi.ClientWithKey(quota.Host, partner.ApiKey);
        using (var first = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm(StlFiles.BinaryCube(13))))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode); // 684 bytes of 1000
        }

        var before = StoreFiles(quota.Host);

        using var second = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm(StlFiles.BinaryCube(14)));

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("upload.quota-exceeded", await PartnerApi.ProblemCodeAsync(second));
        Assert.Equal(before, StoreFiles(quota.Host));
    }

    [Fact]
    public void Host_RunsOneModelStoreSweeper()
    {
        Assert.Single(fixture.Host.Services.GetServices<IHostedService>().OfType<ModelStoreSweeper>());
    }

    [Fact]
    public void Host_RequestBodyLimit_IsBoundedByDefault()
    {
        var kestrel = fixture.Host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.Equal(1024 * 1024, kestrel.Limits.MaxRequestBodySize);
    }

    [Fact]
    public async Task CreateOrder_WhenBodyClaimsMoreThanTheQuota_IsRefusedWithoutReadingIt()
    {
        var before = StoreFiles(quota.Host);

        var (status, body, sent) = await RawUpload.SendAsync(quota.Address, PartnerApi.Orders, PartnerApi.DemoKey, declaredLength: 1L << 30, fieldInsteadOfFile: false);

        Assert.Equal(429, status);
        Assert.Contains("upload.quota-exceeded", body);
        output.WriteLine($"declared 1 GiB; the client got to send {sent} bytes before the answer");
        Assert.True(sent < 64L * 1024 * 1024, $"the client got to send {sent} bytes of the declared gigabyte");
        Assert.Equal(before, StoreFiles(quota.Host));
    }

    [Fact]
    public async Task CreateOrder_WhenChunkedBodyOutgrowsTheLimit_IsRefusedAfterTheLimit()
    {
        var before = StoreFiles(quota.Host);

        var (status, body, sent) = await RawUpload.SendAsync(quota.Address, PartnerApi.Orders, PartnerApi.DemoKey, declaredLength: null, fieldInsteadOfFile: true);

        Assert.Equal(429, status);
        Assert.Contains("upload.quota-exceeded", body);
        output.WriteLine($"chunked; the client got to send {sent} bytes before the answer");
        Assert.True(sent < 64L * 1024 * 1024, $"the client got to send {sent} bytes before the answer");
        Assert.Equal(before, StoreFiles(quota.Host));
    }

    [Fact]
    public async Task Sweep_RemovesOldUnheldModels_KeepsHeldAndFreshOnesAndRemovesStaleTemporaryFiles()
    {
        var store = (FileModelStore)fixture.Host.Services.GetRequiredService<IModelStore>();
        var heldBytes = StlFiles.BinaryCube(43.5);
        using (var response = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(heldBytes)))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var held = Convert.ToHexStringLower(SHA256.HashData(heldBytes));
        var old = (await store.SaveAsync(new MemoryStream(StlFiles.BinaryCube(44.5)), CancellationToken.None)).Sha256;
        var fresh = (await store.SaveAsync(new MemoryStream(StlFiles.BinaryCube(45.5)), CancellationToken.None)).Sha256;
        var now = DateTimeOffset.UtcNow;
        var sweepAt = now + TimeSpan.FromHours(25); // the clock moves on a day and an hour
        File.SetLastWriteTimeUtc(store.PathOf(fresh), (sweepAt - TimeSpan.FromMinutes(30)).UtcDateTime); // written half an hour before the sweep
        var staleTemporary = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(store.PathOf(old)))!, ".upload-left-by-a-crash");
        await File.WriteAllBytesAsync(staleTemporary, new byte[100]);

        var report = await store.SweepAsync(sweepAt, TimeSpan.FromHours(24), CancellationToken.None);

        Assert.False(await store.ExistsAsync(old, CancellationToken.None), "an old model no order holds is removed");
        Assert.True(await store.ExistsAsync(held, CancellationToken.None), "a model an order holds stays");
        Assert.True(await store.ExistsAsync(fresh, CancellationToken.None), "a model younger than the retention stays");
        Assert.False(File.Exists(staleTemporary));
        Assert.True(report.ModelsDeleted >= 1 && report.TemporaryFilesDeleted >= 1);
    }

    /// <summary>Every file under the model store (models, holds, temporary files), to show a request left nothing behind.</summary>
    private static string[] StoreFiles(PrintFlowHost host)
    {
        var root = Path.Combine(host.DataDirectory, "models");
        return Directory.Exists(root)
            ? [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>
    /// A client on a bare socket that sends a multipart body whose one part never ends (up to 1 GiB) and stops when
    /// the answer arrives: HttpClient gives up on a connection the server closes before the body is sent.
    /// </summary>
    private static class RawUpload
    {
        private const string Boundary = "endless-boundary";
        private const long Cap = 1L << 30;

        public static async Task<(int Status, string Body, long Sent)> SendAsync(Uri address, string path, string apiKey, long? declaredLength, bool fieldInsteadOfFile)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(address.Host, address.Port);
            var stream = tcp.GetStream();
            var framing = declaredLength is { } length ? $"Content-Length: {length}" : "Transfer-Encoding: chunked";
            var head = $"POST {path} HTTP/1.1\r\nHost: {address.Authority}\r\nX-Api-Key: {apiKey}\r\n"
                + $"Content-Type: multipart/form-data; boundary={Boundary}\r\n{framing}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            var partHead = fieldInsteadOfFile
                ? $"--{Boundary}\r\nContent-Disposition: form-data; name=\"reference\"\r\n\r\n"
                : $"--{Boundary}\r\nContent-Disposition: form-data; name=\"model\"; filename=\"huge.stl\"\r\nContent-Type: application/octet-stream\r\n\r\n";

            using var answered = new CancellationTokenSource();
            long sent = 0;
            var writer = Task.Run(async () =>
            {
                var chunk = new byte[64 * 1024];
                Array.Fill(chunk, (byte)'A');
                var first = Encoding.ASCII.GetBytes(partHead);
                first.CopyTo(chunk, 0);
                try
                {
                    while (!answered.IsCancellationRequested && sent < Cap)
                    {
                        if (declaredLength is null)
                        {
                            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"), answered.Token);
                        }

                        await stream.WriteAsync(chunk, answered.Token);
                        if (declaredLength is null)
                        {
                            await stream.WriteAsync("\r\n"u8.ToArray(), answered.Token);
                        }

                        Interlocked.Add(ref sent, chunk.Length);
                        Array.Fill(chunk, (byte)'A', 0, first.Length);
                    }
                }
                catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The server answered and closed the connection: what matters is how much it let through.
                }
            });

            var response = new StringBuilder();
            var buffer = new byte[16 * 1024];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            int read;
            try
            {
                while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
                {
                    response.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    if (response.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && response.ToString().Contains('}'))
                    {
                        break;
                    }
                }
            }
            catch (IOException)
            {
                // Closed after the answer.
            }

            var sentWhenAnswered = Interlocked.Read(ref sent);
            await answered.CancelAsync();
            await writer;
            var text = response.ToString();
            var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
            return (status, text, sentWhenAnswered);
        }
    }
}

/// <summary>
/// One host for the quota tests, its partners allowed 1000 bytes of models a day and served on a real port for the
/// raw-socket clients: each test uses a partner of its own (or the demo partner, which stores nothing here).
/// </summary>
public sealed class UploadQuotaFixture : PrintFlowHostFixture
{
    public Uri Address { get; private set; } = default!;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Partners:UploadBytesPerDay"] = "1000" };

    protected override Task StartedAsync(PrintFlowHost host)
    {
        Address = host.StartKestrel();
        return Task.CompletedTask;
    }
}
