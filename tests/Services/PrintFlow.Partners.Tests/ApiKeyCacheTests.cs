using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PrintFlow.Partners.Auth;
using PrintFlow.Partners.Domain;

namespace PrintFlow.Partners.Tests;

public sealed class ApiKeyCacheTests
{
    private static readonly Partner Acme = new(Guid.CreateVersion7(), "Acme", "api@acme.example", null, null, DateTimeOffset.UtcNow);

    [Fact]
    public async Task Get_WithinTheCacheDuration_ReadsTheKeyOnceThenAgainAfterIt()
    {
        var clock = Clock();
        var cache = Cache(TimeSpan.FromSeconds(30), clock);
        var reads = 0;

        Assert.Same(Acme, await cache.GetAsync("hash", () => { reads++; return Task.FromResult<Partner?>(Acme); }));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(Acme, await cache.GetAsync("hash", () => { reads++; return Task.FromResult<Partner?>(Acme); }));
        Assert.Equal(1, reads);

        clock.Advance(TimeSpan.FromSeconds(2));
        await cache.GetAsync("hash", () => { reads++; return Task.FromResult<Partner?>(Acme); });
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Get_WhenTheKeyIsUnknownOrForgotten_AsksTheDatabaseEveryTime()
    {
        var cache = Cache(TimeSpan.FromSeconds(30), Clock());
        var reads = 0;

        Assert.Null(await cache.GetAsync("unknown", () => { reads++; return Task.FromResult<Partner?>(null); }));
        Assert.Null(await cache.GetAsync("unknown", () => { reads++; return Task.FromResult<Partner?>(null); }));
        await cache.GetAsync("revoked", () => { reads++; return Task.FromResult<Partner?>(Acme); });
        cache.Forget("revoked");
        Assert.Null(await cache.GetAsync("revoked", () => { reads++; return Task.FromResult<Partner?>(null); }));

        Assert.Equal(4, reads);
    }

    [Fact]
    public async Task Get_WhenTheKeyIsRevokedWhileItIsRead_DoesNotRememberWhatItRead()
    {
        var cache = Cache(TimeSpan.FromSeconds(30), Clock());
        var reads = 0;

        // The read saw the key active; the revocation committed and forgot the key before the read came back.
        Assert.Same(Acme, await cache.GetAsync("hash", () => { reads++; cache.Forget("hash"); return Task.FromResult<Partner?>(Acme); }));
        Assert.Null(await cache.GetAsync("hash", () => { reads++; return Task.FromResult<Partner?>(null); }));

        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task Get_WhenTheDurationIsZero_AsksTheDatabaseEveryTime()
    {
        var cache = Cache(TimeSpan.Zero, Clock());
        var reads = 0;

        await cache.GetAsync("hash", () => { reads++; return Task.FromResult<Partner?>(Acme); });
        await cache.GetAsync("hash", () => { reads++; return Task.FromResult<Partner?>(Acme); });

        Assert.Equal(2, reads);
    }

    private static ApiKeyCache Cache(TimeSpan duration, TimeProvider clock) =>
        new(Options.Create(new PartnersOptions { ApiKeyCacheDuration = duration }), clock);

    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
}
