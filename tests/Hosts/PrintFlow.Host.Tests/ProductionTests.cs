using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The embedded host in Production: the demo accounts and keys published in this repository do not work there, even
/// on data first used in Development, and <c>/metrics</c> is served only to a scraper holding the metrics token.
/// </summary>
public sealed class ProductionTests : IDisposable
{
    private const string MetricsToken = "0123456789abcdef0123456789abcdef-metrics";
    private static readonly string[] DemoKeys = ["pfk_demo_0123456789abcdef", "pfk_load_0123456789abcdef"];
    private static readonly string[] DemoLogins =
        ["customer@printflow.local", "operator@printflow.local", "operator2@printflow.local", "supervisor@printflow.local", "sales@printflow.local"];

    private readonly string _data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "printflow-tests", Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public async Task SignInAndPartnerApi_WhenDevelopmentDataRunsInProduction_RefuseTheDemoAccountsAndKeys()
    {
        using (var development = new PrintFlowHost(Data()))
        {
            // The control: the same data in Development has working demo accounts and keys.
            await WebSession.Open(development).SignInAsync("customer@printflow.local");
            using var partner = development.CreateClient();
            Assert.Equal(HttpStatusCode.NotFound, await PartnerOrderStatusAsync(partner, DemoKeys[0]));
        }

        using var production = new PrintFlowHost(Data(), Environments.Production);
        var customer = WebSession.Open(production);
        var email = await customer.RegisterAsync(password: "correct-horse-battery");
        await WebSession.Open(production).SignInAsync(email, "correct-horse-battery"); // sign-in itself works here

        foreach (var login in DemoLogins)
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => WebSession.Open(production).SignInAsync(login));
            Assert.Contains("failed (redirected to /login", failure.Message);
        }

        using var client = production.CreateClient();
        foreach (var key in DemoKeys)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await PartnerOrderStatusAsync(client, key));
        }
    }

    [Fact]
    public async Task Metrics_InProductionWithoutAToken_IsNotServed()
    {
        using var production = new PrintFlowHost(Data(), Environments.Production);
        using var client = production.CreateClient();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_InProductionWithAToken_IsServedOnlyToTheBearer()
    {
        var settings = Data();
        settings["Observability:MetricsToken"] = MetricsToken;
        using var production = new PrintFlowHost(settings, Environments.Production);
        using var client = production.CreateClient();

        using (var anonymous = await client.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await GetMetricsAsync(client, MetricsToken + "x"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var scraper = await GetMetricsAsync(client, MetricsToken);
        Assert.Equal(HttpStatusCode.OK, scraper.StatusCode);
        Assert.Contains("# TYPE", await scraper.Content.ReadAsStringAsync());
    }

    private string? _keyCertificate;

    // Production encrypts the data-protection keys at rest and will not start without the certificate; one per test.
    private Dictionary<string, string?> Data() => new()
    {
        ["PrintFlow:DataDirectory"] = _data,
        ["PrintFlow:DataProtection:CertificatePath"] = _keyCertificate ??= TestCertificates.CreatePfx(_data),
        ["PrintFlow:DataProtection:CertificatePassword"] = "test-password",
    };

    private static async Task<HttpStatusCode> PartnerOrderStatusAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/partners/v1/orders/{Guid.NewGuid()}");
        request.Headers.Add("X-Api-Key", key);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> GetMetricsAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp folder is cleaned by the OS eventually.
        }
    }
}
