using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrintFlow.Messaging;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Accounts;

/// <summary>One counter of failures in a fixed window: an email's failed sign-ins, or an address's.</summary>
[MigrationStream("sign_in_failures")]
public sealed class SignInFailureCounter
{
    /// <summary>SHA-256 of what is counted, so the table holds no email addresses.</summary>
    public string Key { get; set; } = "";

    public int Failures { get; set; }

    public DateTimeOffset WindowEndsAt { get; set; }

    internal static void Configure(ModelBuilder modelBuilder) => modelBuilder.Entity<SignInFailureCounter>(counter =>
    {
        counter.ToTable("sign_in_failures");
        counter.HasKey(c => c.Key);
        counter.Property(c => c.Key).HasMaxLength(64);
        counter.HasIndex(c => c.WindowEndsAt); // pruning
    });
}

/// <summary>Where the counters live: the database of the service that serves sign-in (Shop), so every instance sees them.</summary>
public interface ISignInCounterStore
{
    /// <summary>The counter's failures and window end, or null when it has none in a current window.</summary>
    Task<(int Failures, DateTimeOffset WindowEndsAt)?> ReadAsync(string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds one failure (a new window starts when the last one is over) and returns the counter.</summary>
    Task<(int Failures, DateTimeOffset WindowEndsAt)> AddFailureAsync(string key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken);

    Task ResetAsync(string key, CancellationToken cancellationToken);
}

internal sealed class DatabaseSignInCounterStore<TDb>(TDb db) : ISignInCounterStore where TDb : DbContext
{
    private DbSet<SignInFailureCounter> Counters => db.Set<SignInFailureCounter>();

    public async Task<(int Failures, DateTimeOffset WindowEndsAt)?> ReadAsync(string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counter = await Counters.AsNoTracking().Where(c => c.Key == key && c.WindowEndsAt > now).FirstOrDefaultAsync(cancellationToken);
        return counter is null ? null : (counter.Failures, counter.WindowEndsAt);
    }

    public async Task<(int Failures, DateTimeOffset WindowEndsAt)> AddFailureAsync(
        string key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        // Atomic in SQL, so two instances counting the same email at once both count.
        for (var attempt = 0; ; attempt++)
        {
            var counted = await Counters.Where(c => c.Key == key && c.WindowEndsAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, c => c.Failures + 1), cancellationToken) > 0
                || await Counters.Where(c => c.Key == key && c.WindowEndsAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, 1).SetProperty(c => c.WindowEndsAt, now + window), cancellationToken) > 0;
            if (!counted)
            {
                // A new key (a new email or address): rows of windows long over go, so guessing many emails cannot grow the table for ever.
                var old = now - TimeSpan.FromDays(1);
                await Counters.Where(c => c.WindowEndsAt < old).ExecuteDeleteAsync(cancellationToken);
                var counter = new SignInFailureCounter { Key = key, Failures = 1, WindowEndsAt = now + window };
                Counters.Add(counter);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException) when (attempt < 2)
                {
                    db.Entry(counter).State = EntityState.Detached; // another instance inserted it first: count on its row
                    continue;
                }
                finally
                {
                    db.Entry(counter).State = EntityState.Detached;
                }
            }

            var current = await Counters.AsNoTracking().SingleAsync(c => c.Key == key, cancellationToken);
            return (current.Failures, current.WindowEndsAt);
        }
    }

    public Task ResetAsync(string key, CancellationToken cancellationToken) =>
        Counters.Where(c => c.Key == key).ExecuteDeleteAsync(cancellationToken);
}

/// <summary>Counters in this process only: for a process that serves no sign-in of its own (the internal endpoint's key checks, a lone MES).</summary>
public sealed class InMemorySignInCounterStore : ISignInCounterStore
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset WindowEndsAt)> _counters = new();

    public Task<(int Failures, DateTimeOffset WindowEndsAt)?> ReadAsync(string key, DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.FromResult<(int, DateTimeOffset)?>(_counters.TryGetValue(key, out var c) && c.WindowEndsAt > now ? c : null);

    public Task<(int Failures, DateTimeOffset WindowEndsAt)> AddFailureAsync(string key, DateTimeOffset now, TimeSpan window, CancellationToken cancellationToken)
    {
        if (_counters.Count > PruneAbove)
        {
            foreach (var (k, c) in _counters)
            {
                if (c.WindowEndsAt <= now)
                {
                    _counters.TryRemove(k, out _);
                }
            }
        }

        return Task.FromResult(_counters.AddOrUpdate(key, _ => (1, now + window), (_, c) => c.WindowEndsAt > now ? (c.Failures + 1, c.WindowEndsAt) : (1, now + window)));
    }

    public Task ResetAsync(string key, CancellationToken cancellationToken)
    {
        _counters.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}

/// <summary>A counter and its limit: "this email, 5 per 15 minutes".</summary>
public readonly record struct ThrottleKey(string Key, int Max, TimeSpan Window);

/// <summary>Failed sign-ins and registrations counted per email and per client address; past a limit, the caller waits.</summary>
public sealed class SignInThrottle(ISignInCounterStore store, IOptions<SignInThrottleOptions> options, TimeProvider clock)
{
    private SignInThrottleOptions Options => options.Value;

    public ThrottleKey Account(string email) => new(Hash("account", email.Trim().ToLowerInvariant()), Options.MaxFailuresPerAccount, Options.Window);

    public ThrottleKey Address(HttpContext http) => new(Hash("address", AddressOf(http)), Options.MaxFailuresPerAddress, Options.Window);

    public ThrottleKey Registration(HttpContext http) =>
        new(Hash("register", AddressOf(http)), Options.MaxRegistrationsPerAddress, Options.RegistrationWindow);

    public ThrottleKey InternalKey(HttpContext http) =>
        new(Hash("internal-key", AddressOf(http)), Options.MaxInternalKeyFailuresPerAddress, Options.Window);

    /// <summary>A counter of another kind (e.g. account emails per address), its value hashed like the others.</summary>
    public static ThrottleKey Key(string kind, string value, int max, TimeSpan window) =>
        new(Hash(kind, value.Trim().ToLowerInvariant()), max, window);

    /// <summary>How long the caller must wait because one of the keys is at its limit, or null.</summary>
    public async Task<TimeSpan?> WaitAsync(CancellationToken cancellationToken, params ThrottleKey[] keys)
    {
        var now = clock.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            if (await store.ReadAsync(key.Key, now, cancellationToken) is { } counter && counter.Failures >= key.Max)
            {
                wait = Max(wait, counter.WindowEndsAt - now);
            }
        }

        return wait;
    }

    /// <summary>Counts a failure on every key; returns how long to wait if that reached a limit.</summary>
    public async Task<TimeSpan?> FailedAsync(CancellationToken cancellationToken, params ThrottleKey[] keys)
    {
        var now = clock.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            var counter = await store.AddFailureAsync(key.Key, now, key.Window, cancellationToken);
            if (counter.Failures >= key.Max)
            {
                wait = Max(wait, counter.WindowEndsAt - now);
            }
        }

        return wait;
    }

    public Task SucceededAsync(ThrottleKey key, CancellationToken cancellationToken) => store.ResetAsync(key.Key, cancellationToken);

    /// <summary>The client's address as the forwarded-headers middleware left it (the real client behind a known proxy).</summary>
    public static string AddressOf(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : IPAddress.None.ToString();

    /// <summary>Whole minutes, rounded up, for a sentence ("try again in 3 minutes").</summary>
    public static int Minutes(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));

    public static void SetRetryAfter(HttpContext http, TimeSpan wait) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static TimeSpan Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;

    private static string Hash(string kind, string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)));
}

public static class SignInThrottleRegistration
{
    /// <summary>Keeps this process's sign-in counters in <typeparamref name="TDb"/> (the service that serves /account/login).</summary>
    public static IServiceCollection AddSignInCounters<TDb>(this IServiceCollection services) where TDb : DbContext
    {
        services.AddScoped<ISignInCounterStore, DatabaseSignInCounterStore<TDb>>();
        return services;
    }

    public static ModelBuilder AddSignInCounters(this ModelBuilder modelBuilder)
    {
        SignInFailureCounter.Configure(modelBuilder);
        return modelBuilder;
    }
}
