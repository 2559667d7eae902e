using System.Net;
using System.Text;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Partners.Webhooks;
using PrintFlow.ServiceDefaults.Security;

namespace PrintFlow.Partners.Tests.Webhooks;

public sealed class AddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.0.9", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.0.1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("100.64.0.1", "cgnat")]
    [InlineData("100.127.255.254", "cgnat")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("2002:7f00:1::", "loopback")]
    public void Refusal_WhenTheAddressIsNotPublic_NamesItsClass(string address, string expected) =>
        Assert.Equal(expected, AddressPolicy.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    public void Refusal_WhenTheAddressIsPublic_IsNull(string address) =>
        Assert.Null(AddressPolicy.Refusal(IPAddress.Parse(address)));
}

public sealed class WebhookBackoffTests
{
    [Fact]
    public void Failed_WhenAttemptsKeepFailing_BacksOffExponentiallyAndParksOnlyAfterRetryFor()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var options = new WebhookOptions(); // defaults: 10 s doubling to 1 h, for 24 h
        var delivery = NewDelivery(clock.GetUtcNow());
        var waits = new List<TimeSpan>();
        var parked = false;
        while (!parked)
        {
            clock.SetUtcNow(delivery.NextAttemptAt);
            var before = clock.GetUtcNow();
            parked = delivery.Failed(before, 503, "HTTP 503", null, options);
            if (!parked)
            {
                waits.Add(delivery.NextAttemptAt - before);
            }
        }

        Assert.InRange(waits[0].TotalSeconds, 10, 11);
        Assert.InRange(waits[1].TotalSeconds, 20, 22);
        Assert.InRange(waits[2].TotalSeconds, 40, 44);
        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromHours(1.1)));
        Assert.Equal(DeliveryStatus.Failed, delivery.Status);
        Assert.True(clock.GetUtcNow() - delivery.CreatedAt >= TimeSpan.FromHours(24));
        Assert.InRange(delivery.Attempts, 25, 40);
    }

    [Fact]
    public void Redeliver_WhenParked_IsDueNowWithAFreshRetryPeriod()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        var options = new WebhookOptions { RetryFor = TimeSpan.FromMinutes(1) };
        var delivery = NewDelivery(clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(delivery.Failed(clock.GetUtcNow(), null, "refused", null, options));

        clock.Advance(TimeSpan.FromHours(3));
        delivery.Redeliver(clock.GetUtcNow());

        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(clock.GetUtcNow(), delivery.NextAttemptAt);
        Assert.False(delivery.Failed(clock.GetUtcNow(), 500, "HTTP 500", null, options));
    }

    private static WebhookDelivery NewDelivery(DateTimeOffset now)
    {
        var secrets = new WebhookSecrets(new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider());
        var endpoint = WebhookEndpoint.Register(Guid.NewGuid(), new Uri("https://hooks.example.com/"), [WebhookEvents.OrderStatusChanged], null, secrets, now, out _);
        return WebhookDelivery.Stage(endpoint, Guid.NewGuid(), WebhookEvents.OrderStatusChanged, Guid.NewGuid(), 1, "{}", now);
    }
}

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"1\"}");

    [Fact]
    public void Verify_WhenSignedWithTheSecretRecently_Accepts()
    {
        var now = DateTimeOffset.UtcNow;
        var header = WebhookSignature.Sign([Encoding.UTF8.GetBytes("whsec_a")], now.ToUnixTimeSeconds(), Body);

        Assert.Matches("^t=\\d+,v1=[0-9a-f]{64}$", header);
        Assert.True(WebhookSignature.Verify("whsec_a", header, Body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_b", header, Body, now, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_a", header, Encoding.UTF8.GetBytes("{\"id\":\"2\"}"), now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Verify_WhenTheTimestampIsOlderThanTheTolerance_RejectsAsAReplay()
    {
        var sent = DateTimeOffset.UtcNow.AddMinutes(-6);
        var header = WebhookSignature.Sign([Encoding.UTF8.GetBytes("whsec_a")], sent.ToUnixTimeSeconds(), Body);

        Assert.False(WebhookSignature.Verify("whsec_a", header, Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify("whsec_a", header.Replace($"t={sent.ToUnixTimeSeconds()}", $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}", StringComparison.Ordinal),
            Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))); // a fresh t does not fit the old v1
    }

    [Fact]
    public void Sign_WithTwoSecrets_GivesOneV1Each()
    {
        var header = WebhookSignature.Sign([Encoding.UTF8.GetBytes("whsec_new"), Encoding.UTF8.GetBytes("whsec_old")], 1_700_000_000, Body);

        Assert.Equal(2, header.Split(",v1=").Length - 1);
        Assert.True(WebhookSignature.Verify("whsec_old", header, Body, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), TimeSpan.FromMinutes(5)));
    }
}

public sealed class WebhookUrlPolicyTests
{
    [Fact]
    public async Task Check_WhenHttpInProduction_RefusesUnlessTheHostIsAllowListed()
    {
        var options = new WebhookOptions { AllowedHosts = ["127.0.0.1"] };
        var policy = new WebhookUrlPolicy(new FixedOptions(options), new Production(), new StaticResolver());

        var (_, refused) = await policy.CheckAsync("http://hooks.example.com/printflow", CancellationToken.None);
        var (allowed, none) = await policy.CheckAsync("http://127.0.0.1:8080/hook", CancellationToken.None);
        var (https, ok) = await policy.CheckAsync("https://hooks.example.com/printflow", CancellationToken.None);

        Assert.Equal("webhook.url-https-required", refused?.Code);
        Assert.Null(none);
        Assert.NotNull(allowed);
        Assert.Null(ok);
        Assert.Equal("https://hooks.example.com/printflow", https?.AbsoluteUri);
    }

    private sealed class StaticResolver : IWebhookHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34") });
    }

    private sealed class FixedOptions(WebhookOptions value) : IOptionsMonitor<WebhookOptions>
    {
        public WebhookOptions CurrentValue => value;
        public WebhookOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<WebhookOptions, string?> listener) => null;
    }

    private sealed class Production : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "PrintFlow";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
